/**
 * `npm start` and `npm run demo` stop every child (n8n, its task runner, the n8n commands, the
 * simulator) within 10 s of SIGINT, SIGTERM or SIGHUP sent to the npm process alone, as `timeout`,
 * Docker, systemd or `kill` do. npm passes SIGINT and SIGTERM on to the script but not SIGHUP, so
 * that one also checks that the script notices its parent going away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { signalGroup } from './support/child-process';
import { freePort } from './support/n8n-env';
import { npmCommand, npmEnv } from './support/npm';
import { descendants, runningIn, stillRunning, type ProcessInfo } from './support/processes';
import { REPO_ROOT } from './support/runtime';

jest.setTimeout(300_000);

const STOP_LIMIT_MS = 10_000;
const READY_LIMIT_MS = 240_000;
const N8N_COMMAND = /n8n\/bin\/n8n /;

interface Started {
	npm: ChildProcess;
	output: () => string;
}

let started: Started | undefined;
let seen: ProcessInfo[] = [];
let userFolder: string;

beforeAll(() => {
	// One n8n folder for the three starts: only the first pays for the database migrations.
	userFolder = realpathSync(mkdtempSync(path.join(tmpdir(), 'spark-signals-')));
});

afterEach(() => {
	// Whatever a failed test left behind is not left to the next one.
	signalGroup(started?.npm.pid, 'SIGKILL');
	for (const leftover of stillRunning(seen)) {
		signalGroup(leftover.pid, 'SIGKILL');
		try {
			process.kill(leftover.pid, 'SIGKILL');
		} catch {
			// Gone with its group.
		}
	}
	started = undefined;
	seen = [];
});

afterAll(() => rmSync(userFolder, { recursive: true, force: true }));

/** `npm run <script>` in a process group of its own, as a terminal or a service manager starts it. */
async function npmRun(script: string, extraArgs: string[] = []): Promise<Started> {
	const { command, prefixArgs } = npmCommand();
	const npm = spawn(command, [...prefixArgs, 'run', script, ...extraArgs], {
		cwd: REPO_ROOT,
		env: { ...npmEnv(), N8N_PORT: String(await freePort()), SIMULATOR_PORT: '0', N8N_USER_FOLDER: userFolder },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	started = { npm, output: () => output };
	return started;
}

/** Polls until `check` returns a value, the command exits, or the limit passes. */
async function waitFor<T>(what: string, run: Started, check: () => T | undefined): Promise<T> {
	const deadline = Date.now() + READY_LIMIT_MS;
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (run.npm.exitCode !== null || Date.now() > deadline) {
			throw new Error(`no ${what} (npm ${run.npm.exitCode === null ? 'still running' : `exited ${run.npm.exitCode}`})\n${run.output().slice(-3000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Sends `signal` to npm alone and returns what is still running after the limit, and how long the rest took. */
async function stopWith(run: Started, signal: NodeJS.Signals, folders: string[]): Promise<{ leftovers: ProcessInfo[]; stoppedMs: number }> {
	const sent = Date.now();
	process.kill(run.npm.pid as number, signal);
	const remaining = () => [...new Map([...stillRunning(seen), ...runningIn(folders)].map((info) => [info.pid, info])).values()];
	while (remaining().length > 0 && Date.now() - sent < STOP_LIMIT_MS) await new Promise((resolve) => setTimeout(resolve, 100));
	return { leftovers: remaining(), stoppedMs: Date.now() - sent };
}

function describeProcesses(processes: ProcessInfo[]): string[] {
	return processes.map((info) => `${info.pid} ${info.command.slice(0, 160)}`);
}

async function refusesConnections(url: string): Promise<boolean> {
	try {
		await fetch(url, { signal: AbortSignal.timeout(2000) });
		return false;
	} catch {
		return true;
	}
}

/** Waits until one of npm's descendants is an n8n command, and returns that command's folder (its user folder). */
function n8nCommandFolder(run: Started): Promise<string> {
	return waitFor('n8n command', run, () => descendants(run.npm.pid as number).find((info) => N8N_COMMAND.test(info.command))?.cwd);
}

describe('npm start', () => {
	it.each<NodeJS.Signals>(['SIGTERM', 'SIGHUP'])('stops n8n, its task runner and the simulator on %s', async (signal) => {
		const run = await npmRun('start');
		const simulatorUrl = await waitFor('"n8n is running" line', run, () =>
			/n8n is running/.test(run.output()) ? /the simulator at (http:\/\/\S+)/.exec(run.output())?.[1] : undefined,
		);
		seen = descendants(run.npm.pid as number);
		// The test sees what it must see stopped; without these it would pass on nothing.
		expect(seen.some((info) => /scripts\/quickstart\/start\.ts/.test(info.command))).toBe(true);
		expect(seen.some((info) => N8N_COMMAND.test(info.command) && / start$/.test(info.command))).toBe(true);
		expect(seen.some((info) => /task-runner/.test(info.command))).toBe(true);
		expect(await refusesConnections(`${simulatorUrl}/fixtures/portrait.jpg`)).toBe(false);

		const { leftovers, stoppedMs } = await stopWith(run, signal, [userFolder]);
		expect(describeProcesses(leftovers)).toEqual([]);
		expect(await refusesConnections(`${simulatorUrl}/fixtures/portrait.jpg`)).toBe(true);
		console.log(`npm start, ${signal}: ${seen.length} processes gone in ${(stoppedMs / 1000).toFixed(1)} s`);
	});

	it('stops the n8n command of its set-up on SIGINT (Ctrl-C before n8n is up)', async () => {
		const run = await npmRun('start');
		await n8nCommandFolder(run);
		seen = descendants(run.npm.pid as number);
		expect(seen.some((info) => /scripts\/quickstart\/start\.ts/.test(info.command))).toBe(true);

		const { leftovers, stoppedMs } = await stopWith(run, 'SIGINT', [userFolder]);
		expect(describeProcesses(leftovers)).toEqual([]);
		console.log(`npm start during set-up, SIGINT: ${seen.length} processes gone in ${(stoppedMs / 1000).toFixed(1)} s`);
	});
});

describe('npm run demo', () => {
	it('stops the n8n command it is running on SIGTERM', async () => {
		const run = await npmRun('demo');
		// As soon as the demo has an n8n command running (its first import).
		const n8nFolder = await n8nCommandFolder(run);
		seen = descendants(run.npm.pid as number);
		expect(seen.some((info) => /scripts\/quickstart\/demo\.ts/.test(info.command))).toBe(true);

		const { leftovers, stoppedMs } = await stopWith(run, 'SIGTERM', [n8nFolder]);
		expect(describeProcesses(leftovers)).toEqual([]);
		console.log(`npm run demo, SIGTERM: ${seen.length} processes gone in ${(stoppedMs / 1000).toFixed(1)} s`);
	});
});
