// A long-running child process (a server, an n8n worker) in its own process group, its output kept.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants } from 'node:os';

import { signalGroup, spawnInGroup, tail } from './child-process';

export interface DaemonOptions {
	/** Shown in errors and log file names, e.g. 'postgres' or 'worker-1'. */
	name: string;
	command: string;
	args: string[];
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Run as this user and group (needs root); PostgreSQL refuses to run as root. */
	uid?: number;
	gid?: number;
	/** Also append the output to this file (the local stack keeps one log per process). */
	logFile?: string;
	onOutput?: (text: string) => void;
}

export interface Daemon {
	readonly name: string;
	readonly pid: number;
	/** Everything it printed on stdout and stderr so far. */
	output(): string;
	hasExited(): boolean;
	/** How it ended ('exit code 1', 'signal SIGKILL'), once it has; undefined while it runs. */
	exitReason(): string | undefined;
	/** Resolves when the process has exited and its pipes are closed. */
	readonly exited: Promise<void>;
	/** Sends `signal` to the group, then SIGKILL after `timeoutMs`; resolves once it has exited. */
	stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

// Whatever is still running when this process exits goes with it, never left behind: also when it is
// interrupted (Ctrl-C, a CI timeout), since the children run in process groups of their own.
const running = new Set<ChildProcess>();
const killAll = () => running.forEach((child) => signalGroup(child.pid, 'SIGKILL'));
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		// A script with a handler of its own (the stack supervisor) stops its daemons itself.
		if (process.listenerCount(signal) > 1) return;
		killAll();
		process.exit(128 + constants.signals[signal]);
	});
}

export function startDaemon(options: DaemonOptions): Daemon {
	const child = spawnInGroup(options.command, options.args, options);
	if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
	running.add(child);
	const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	const chunks: string[] = [];
	const onData = (chunk: Buffer) => {
		const text = chunk.toString('utf8');
		chunks.push(text);
		log?.write(text);
		options.onOutput?.(text);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);

	let exitedFlag = false;
	let reason: string | undefined;
	const exited = new Promise<void>((resolve) => {
		child.on('close', (code, signal) => {
			exitedFlag = true;
			reason = signal ? `signal ${signal}` : `exit code ${code}`;
			running.delete(child);
			// Children it started (n8n's task runner) may outlive it.
			signalGroup(child.pid, 'SIGKILL');
			log?.end();
			resolve();
		});
		child.on('error', () => undefined);
	});

	return {
		name: options.name,
		pid: child.pid,
		output: () => chunks.join(''),
		hasExited: () => exitedFlag,
		exitReason: () => reason,
		exited,
		async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
			if (exitedFlag) return;
			signalGroup(child.pid, signal);
			const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
			await exited;
			clearTimeout(timer);
		},
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `ready` until it returns true; throws with the daemon's output when the daemon exits first
 * or the time runs out.
 */
export async function waitUntilReady(daemon: Daemon, ready: () => Promise<boolean>, timeoutMs: number, pollMs = 200): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (daemon.hasExited()) throw new Error(`${daemon.name} exited while starting:\n${tail(daemon.output())}`);
		if (await ready().catch(() => false)) return;
		if (Date.now() > deadline) throw new Error(`${daemon.name} not ready after ${timeoutMs} ms:\n${tail(daemon.output())}`);
		await sleep(pollMs);
	}
}
