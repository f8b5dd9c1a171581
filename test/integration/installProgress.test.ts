/**
 * scripts/n8n/progress.sh, which keeps the first `npm start` / `npm run demo` talking while it installs
 * n8n: a log gets a line when a step starts and then at a steady beat, however long the step; the
 * line says how far npm got; an interrupt stops the whole step, not only its first process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from '../support/markdown';

jest.setTimeout(30_000);

const PROGRESS = path.join(REPO_ROOT, 'scripts', 'n8n', 'progress.sh');

interface Run {
	lines: Array<{ at: number; text: string }>;
	exitCode: number | null;
	pid: number;
}

/** Runs a bash snippet after sourcing progress.sh, in its own process group; `onLine` may act on the output. */
function runBash(script: string, env: Record<string, string> = {}, onLine?: (text: string, pid: number) => void): Promise<Run> {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn('bash', ['-c', `set -euo pipefail; source "${PROGRESS}"; ${script}`], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const run: Run = { lines: [], exitCode: null, pid: child.pid ?? 0 };
		let buffered = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffered += chunk.toString('utf8');
			const parts = buffered.split('\n');
			buffered = parts.pop() ?? '';
			for (const text of parts) {
				run.lines.push({ at: Date.now() - started, text });
				onLine?.(text, run.pid);
			}
		});
		child.on('close', (code, signal) => {
			run.exitCode = code ?? (signal ? 128 : null);
			resolve(run);
		});
	});
}

function processAlive(pattern: string): boolean {
	// A process of this test's own making, found by its command line.
	return require('node:child_process').spawnSync('pgrep', ['-f', pattern]).status === 0;
}

it('a log gets a line when the step starts and one every PROGRESS_EVERY seconds, with the time so far', async () => {
	const run = await runBash('with_progress "Waiting" "5 s" - sleep 5', { PROGRESS_EVERY: '2' });
	expect(run.exitCode).toBe(0);
	expect(run.lines[0]).toEqual({ at: expect.any(Number), text: 'Waiting ...' });
	expect(run.lines[0].at).toBeLessThan(1_500);
	expect(run.lines.slice(1).map((line) => line.text)).toEqual(
		expect.arrayContaining([expect.stringMatching(/^Waiting, [2-4] s so far \(usually 5 s\)$/)]),
	);
	expect(run.lines.length).toBeGreaterThanOrEqual(3);
	const gaps = run.lines.slice(1).map((line, index) => line.at - run.lines[index].at);
	// The beat plus a second of polling, never the step's whole length.
	expect(Math.max(...gaps)).toBeLessThan(3_500);
});

it('passes the step\'s failure on', async () => {
	const run = await runBash('with_progress "Failing" "1 s" - bash -c "exit 3" || echo "status $?"');
	expect(run.lines.map((line) => line.text)).toEqual(['Failing ...', 'status 3']);
});

it('an interrupt stops the whole step (every process in it) and exits 130', async () => {
	// A step with a child of its own (npm and its compiler); the sleep's odd length finds it afterwards.
	const marker = `sleep 6${Math.floor(Math.random() * 1e6)}`;
	const run = await runBash(`trap 'exit 130' INT; with_progress "Long" "1 min" - bash -c '${marker} >/dev/null 2>&1; true'`, { PROGRESS_EVERY: '1' }, (text, pid) => {
		// Like Ctrl-C in a terminal: the signal goes to the script's process group.
		if (text.startsWith('Long, ')) process.kill(-pid, 'SIGINT');
	});
	expect(run.exitCode).toBe(130);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(processAlive(marker)).toBe(false);
});

describe('how far npm ci got', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'progress-probe-'));
		const packages = { '': {}, 'node_modules/a': {}, 'node_modules/@s/b': {}, 'node_modules/a/node_modules/c': {}, 'node_modules/linked': { link: true } };
		writeFileSync(path.join(folder, 'package-lock.json'), JSON.stringify({ packages }));
	});
	afterEach(() => rmSync(folder, { recursive: true, force: true }));

	it('counts the lockfile\'s packages that are on disk', async () => {
		for (const dir of ['node_modules/a', 'node_modules/@s/b']) {
			mkdirSync(path.join(folder, dir), { recursive: true });
			writeFileSync(path.join(folder, dir, 'package.json'), '{}');
		}
		mkdirSync(path.join(folder, 'node_modules/a/node_modules/c'), { recursive: true });
		const run = await runBash(`count_installed_packages "${folder}" "${folder}/logs"`);
		expect(run.lines.map((line) => line.text)).toEqual(['2 of 3 packages on disk']);
	});

	it('before anything is on disk, counts the package data npm has read (its debug log)', async () => {
		mkdirSync(path.join(folder, 'logs'));
		writeFileSync(
			path.join(folder, 'logs', 'debug-0.log'),
			'1 http fetch GET 200 https://registry.npmjs.org/a 80ms\n2 silly x\n3 http fetch GET 200 https://registry.npmjs.org/@s%2fb 90ms\n',
		);
		const run = await runBash(`count_installed_packages "${folder}" "${folder}/logs"`);
		expect(run.lines.map((line) => line.text)).toEqual(['package data read for 2 of 3, none on disk yet']);
	});
});
