// What every browser test needs: the packed package and a simulator once per file, n8n and a page per version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { N8nVersionKey } from '../../e2e/support/n8n';
import { packPackage } from '../../e2e/support/pack';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../simulator';
import { launchChromium } from './chromium';
import { startN8nEditor, type N8nEditor, type N8nEditorOptions } from './n8n-editor';
import { saveScreenshot, VIEWPORT } from './screenshots';

/** The tested lines, the current one first. */
export const EDITOR_VERSIONS: N8nVersionKey[] = ['n8n2', 'n8n1'];
/** The docs show the current major version. */
const SCREENSHOTS_FROM: N8nVersionKey = 'n8n2';

/** Saves editor-<name>.png (screenshots.ts says where) when this is the version the docs show; does nothing otherwise. */
export function docsScreenshot(key: N8nVersionKey, page: Page, name: string): Promise<void> {
	return key === SCREENSHOTS_FROM ? saveScreenshot(page, name) : Promise.resolve();
}

export interface BrowserTestSetup {
	/** The simulator; set once the file's beforeAll ran. */
	sim(): SimulatorHandle;
	/** Path of the packed package. */
	tarball(): string;
}

/** Registers beforeAll/afterAll hooks that pack the package and start (then stop) a simulator. */
export function useTarballAndSimulator(options: Partial<SimulatorOptions>): BrowserTestSetup {
	let sim: SimulatorHandle | undefined;
	let packDir: string | undefined;
	let tarball: string | undefined;

	beforeAll(async () => {
		packDir = mkdtempSync(path.join(tmpdir(), 'spark-browser-pack-'));
		tarball = packPackage(packDir);
		sim = await startSimulator(options);
	});

	afterAll(async () => {
		await sim?.close();
		if (packDir) rmSync(packDir, { recursive: true, force: true });
	});

	return {
		sim: () => {
			if (!sim) throw new Error('the simulator is not running yet');
			return sim;
		},
		tarball: () => {
			if (!tarball) throw new Error('the package is not packed yet');
			return tarball;
		},
	};
}

export interface EditorSession {
	editor: N8nEditor;
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Closes the browser, then stops n8n. */
	close(): Promise<void>;
}

/** A real n8n serving its editor and a headless Chromium page on it (not signed in yet). */
export async function openEditorSession(key: N8nVersionKey, options: N8nEditorOptions): Promise<EditorSession> {
	const editor = await startN8nEditor(key, options);
	try {
		const browser = await launchChromium();
		const context = await browser.newContext({ viewport: VIEWPORT });
		context.setDefaultTimeout(30_000);
		const page = await context.newPage();
		const close = async () => {
			try {
				await browser.close();
			} finally {
				await editor.stop();
			}
		};
		return { editor, browser, context, page, close };
	} catch (error) {
		await editor.stop();
		throw error;
	}
}
