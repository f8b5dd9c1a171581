import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(tmpdir(), 'n8n-harness');

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Folders are named '<pid>-<random>'; remove those whose process has ended. */
function removeStaleFolders(): void {
	for (const name of readdirSync(ROOT)) {
		const pid = Number(name.split('-')[0]);
		if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
			rmSync(path.join(ROOT, name), { recursive: true, force: true });
		}
	}
}

/**
 * A fresh folder for n8n's settings file and binary data. Jest gives tests a
 * sandboxed `process` whose 'exit' never fires, so instead of cleaning up on exit
 * each new harness removes the folders of processes that are gone.
 */
export function createTempFolder(): string {
	mkdirSync(ROOT, { recursive: true });
	removeStaleFolders();
	return mkdtempSync(path.join(ROOT, `${process.pid}-`));
}
