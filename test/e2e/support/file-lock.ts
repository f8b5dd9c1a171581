/**
 * A lock that jest workers (separate processes) share through a file: whoever creates the file holds it.
 * The e2e files use it where a shared n8n must not be asked two things at once.
 */
import { open, rm, stat } from 'node:fs/promises';

export interface FileLockOptions {
	pollMs?: number;
	/** A file older than this was left by a holder that died (a killed worker) and is taken over. */
	staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ageOf(file: string): Promise<number> {
	try {
		return Date.now() - (await stat(file)).mtimeMs;
	} catch {
		return 0; // gone meanwhile: the next attempt takes it
	}
}

async function tryCreate(file: string): Promise<boolean> {
	try {
		await (await open(file, 'wx')).close();
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/** Runs `work` while holding the lock `file`, waiting for another holder to finish first. */
export async function withFileLock<T>(file: string, work: () => Promise<T>, { pollMs = 50, staleMs = 120_000 }: FileLockOptions = {}): Promise<T> {
	while (!(await tryCreate(file))) {
		if ((await ageOf(file)) > staleMs) await rm(file, { force: true });
		else await sleep(pollMs);
	}
	try {
		return await work();
	} finally {
		await rm(file, { force: true });
	}
}
