import path from 'node:path';

import { GlobalConfig, InstanceSettingsConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { createTempFolder } from './temp-folder';

/**
 * 'default' keeps binary data in the item itself (base64 in memory), as n8n 1.x did.
 * 'filesystem' is n8n 2.x's default: prepareBinaryData writes a file and the item
 * only holds an id.
 */
export type BinaryDataMode = 'default' | 'filesystem';

export interface HarnessConfig {
	/** Default 'default'. */
	binaryDataMode?: BinaryDataMode;
}

// Credentials/Cipher need a key; a fixed one avoids generating one per run.
const TEST_ENCRYPTION_KEY = 'n8n-nodes-spark-portrait-harness-key';

let n8nFolder: string | undefined;
let binaryService: Promise<BinaryDataService> | undefined;
let currentMode: BinaryDataMode | undefined;

/** n8nFolder is read-only and read from N8N_USER_FOLDER when the config is built. */
function withUserFolder<T>(folder: string, build: () => T): T {
	const previous = process.env.N8N_USER_FOLDER;
	process.env.N8N_USER_FOLDER = folder;
	try {
		return build();
	} finally {
		if (previous === undefined) delete process.env.N8N_USER_FOLDER;
		else process.env.N8N_USER_FOLDER = previous;
	}
}

/**
 * Prepares the @n8n/di container the way n8n's process start-up would, minus the
 * database. Every n8n-core service is a lazily created singleton, so the configs
 * they read must be adjusted before their first Container.get; this runs before any.
 */
function prepareConfigs(): string {
	if (n8nFolder !== undefined) return n8nFolder;

	// InstanceSettings writes a settings file into n8nFolder: keep it out of $HOME.
	const folder = createTempFolder();

	const instanceConfig = withUserFolder(folder, () => Container.get(InstanceSettingsConfig));
	instanceConfig.encryptionKey ||= TEST_ENCRYPTION_KEY;
	instanceConfig.enforceSettingsFilePermissions = false;

	// Expected node failures are reported through ErrorReporter -> Logger; keep test
	// output clean unless N8N_LOG_LEVEL asks for logs.
	const globalConfig = Container.get(GlobalConfig);
	if (process.env.N8N_LOG_LEVEL === undefined) globalConfig.logging.level = 'silent';

	// Tests talk to servers on 127.0.0.1, which SSRF protection (off by default, on
	// with N8N_SSRF_PROTECTION_ENABLED) would block.
	Container.get(SsrfProtectionConfig).enabled = false;

	n8nFolder = folder;
	return folder;
}

async function initBinaryData(mode: BinaryDataMode): Promise<BinaryDataService> {
	const folder = prepareConfigs();
	const config = Container.get(BinaryDataConfig);
	config.mode = mode;
	config.localStoragePath = path.join(folder, 'storage');
	const service = Container.get(BinaryDataService);
	// init() picks the manager for config.mode; with 'default' no manager matches,
	// so store() keeps base64 in the item.
	await service.init();
	return service;
}

/**
 * Sets up the DI container, or switches its modes. Safe to call repeatedly;
 * options left out keep their current value. Switch only between runs.
 */
export async function setupContainer(config: HarnessConfig = {}): Promise<void> {
	const mode = config.binaryDataMode ?? currentMode ?? 'default';
	if (binaryService === undefined || mode !== currentMode) {
		currentMode = mode;
		binaryService = initBinaryData(mode);
	}
	await binaryService;
}

export function getBinaryDataMode(): BinaryDataMode {
	return currentMode ?? 'default';
}

/** Where filesystem-mode binary files go (useful for benchmarks and cleanup checks). */
export function getStoragePath(): string {
	return Container.get(BinaryDataConfig).localStoragePath;
}
