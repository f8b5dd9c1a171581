import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { generatedFixture, type FixtureFile } from './generatedFixtures';

export const FIXTURES_DIR = path.join(__dirname, 'fixtures');

const CONTENT_TYPES: Record<string, string> = {
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.png': 'image/png',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.txt': 'text/plain; charset=utf-8',
};

// Fixtures are a few KB: kept in memory after the first read, so serving one never waits behind
// image work in libuv's thread pool (file reads and sharp share it).
const cache = new Map<string, Promise<FixtureFile | undefined>>();

async function readFixture(name: string): Promise<FixtureFile | undefined> {
	try {
		const bytes = await readFile(path.join(FIXTURES_DIR, name));
		return { bytes, contentType: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream' };
	} catch {
		return undefined;
	}
}

/** A committed file from fixtures/, or a generated one under generated/. Plain names only: no way out of the folder. */
export async function loadFixture(name: string): Promise<FixtureFile | undefined> {
	const generated = /^generated\/([^/]+)$/.exec(name);
	if (generated) return generatedFixture(generated[1]);
	if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) return undefined;
	if (!cache.has(name)) cache.set(name, readFixture(name));
	return await cache.get(name);
}
