import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type N8nVersionKey = 'n8n1' | 'n8n2';

export interface N8nRuntime {
	key: N8nVersionKey;
	/** n8n version installed in the cache, e.g. '1.123.81'. */
	version: string;
	/** Node.js binary that runs this n8n (22 for 1.x, 24 for 2.x). */
	nodeBin: string;
	/** n8n's bin script, run as `<nodeBin> <n8nBin> <command>`. */
	n8nBin: string;
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Where scripts/n8n/install.sh keeps the pinned n8n builds and Node.js: one per-user cache that every
 * clone on the machine shares (the same rule as the script's CACHE).
 */
export function runtimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.SPARK_PORTRAIT_CACHE) return path.resolve(env.SPARK_PORTRAIT_CACHE);
	const userCache = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
	return path.join(userCache, 'n8n-nodes-spark-portrait');
}

const SPEC_DIR = path.join(REPO_ROOT, 'scripts', 'n8n');

// Folder names shared with scripts/n8n/install.sh.
const LAYOUT: Record<N8nVersionKey, { n8nFolder: string; nodeFolder: string }> = {
	n8n1: { n8nFolder: 'n8n-1', nodeFolder: 'node22' },
	n8n2: { n8nFolder: 'n8n-2', nodeFolder: 'node24' },
};

function readJson(file: string): Record<string, unknown> {
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function pinnedVersion(folder: string, dependency: string): string {
	const dependencies = readJson(path.join(SPEC_DIR, folder, 'package.json')).dependencies as Record<string, string>;
	return dependencies[dependency];
}

function installedVersion(packageJson: string): string | undefined {
	return existsSync(packageJson) ? String(readJson(packageJson).version) : undefined;
}

/** Locates a pinned n8n installed by scripts/n8n/install.sh; throws saying how to install it. */
export function n8nRuntime(key: N8nVersionKey): N8nRuntime {
	const { n8nFolder, nodeFolder } = LAYOUT[key];
	const cacheDir = runtimeCacheDir();
	const n8nDir = path.join(cacheDir, n8nFolder);
	const nodeDir = path.join(cacheDir, nodeFolder);
	const nodeBin = path.join(nodeDir, 'node_modules', 'node', 'bin', 'node');
	const n8nBin = path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
	const fix = `run \`bash scripts/n8n/install.sh ${key}\` from the repository root`;

	// The marker is written last, so its absence also catches an interrupted install.
	for (const marker of [path.join(nodeDir, '.installed'), path.join(n8nDir, '.installed')]) {
		if (!existsSync(marker)) {
			throw new Error(`${key}: the pinned n8n runtime is not installed (${marker} is missing): ${fix}.`);
		}
	}
	const version = installedVersion(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'));
	const wantedN8n = pinnedVersion(n8nFolder, 'n8n');
	const nodeVersion = installedVersion(path.join(nodeDir, 'node_modules', 'node', 'package.json'));
	const wantedNode = pinnedVersion(nodeFolder, 'node');
	if (version !== wantedN8n || nodeVersion !== wantedNode || !existsSync(nodeBin) || !existsSync(n8nBin)) {
		throw new Error(
			`${key}: the cached runtime (n8n ${version ?? 'none'}, Node.js ${nodeVersion ?? 'none'}) does not match ` +
				`the pins (n8n ${wantedN8n}, Node.js ${wantedNode}): ${fix}.`,
		);
	}
	return { key, version, nodeBin, n8nBin };
}
