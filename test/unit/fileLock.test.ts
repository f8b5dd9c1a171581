/**
 * The file lock the e2e files share a long-lived n8n with: holders never overlap, and a lock left by a
 * holder that died is taken over.
 */
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { withFileLock } from '../e2e/support/file-lock';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let folder: string;
beforeEach(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'file-lock-'));
});
afterEach(async () => {
	await rm(folder, { recursive: true, force: true });
});

it('holders run one at a time, each in full, and the file is gone afterwards', async () => {
	const lock = path.join(folder, 'the.lock');
	const events: string[] = [];
	const holder = (name: string) =>
		withFileLock(
			lock,
			async () => {
				events.push(`${name} in`);
				await sleep(30);
				events.push(`${name} out`);
				return name;
			},
			{ pollMs: 5 },
		);
	await expect(Promise.all(['a', 'b', 'c'].map(holder))).resolves.toEqual(['a', 'b', 'c']);
	for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i].replace(' in', ' out'));
	expect(events).toHaveLength(6);
	expect(existsSync(lock)).toBe(false);
});

it('a holder that throws still lets the next one in', async () => {
	const lock = path.join(folder, 'the.lock');
	await expect(withFileLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
	await expect(withFileLock(lock, async () => 'next')).resolves.toBe('next');
});

it('a lock left behind is waited for while fresh and taken over once stale', async () => {
	const lock = path.join(folder, 'the.lock');
	await writeFile(lock, '');
	const started = Date.now();
	let waited = 0;
	const taken = withFileLock(lock, async () => (waited = Date.now() - started), { pollMs: 5, staleMs: 10_000 });
	await sleep(50);
	expect(waited).toBe(0);
	const old = new Date(Date.now() - 60_000);
	await utimes(lock, old, old);
	await taken;
	expect(waited).toBeGreaterThanOrEqual(50);
});
