import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

export interface CommandResult {
	/** The exit code, or 128 + the signal number when a signal ended the process (as a shell reports it). */
	exitCode: number;
	/** The signal that ended the process, if one did. */
	signal?: NodeJS.Signals;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	timeoutMs: number;
	/** Run as this user and group (needs root), e.g. PostgreSQL's tools, which refuse root. */
	uid?: number;
	gid?: number;
}

/** Sends a signal to a whole process group; n8n 2.x starts task-runner children of its own. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// The group is already gone.
	}
}

// Children started through spawnInGroup, until they close. None may outlive this process, however it
// ends: a normal exit kills them here; a signal is turned into an exit by scripts/quickstart/shutdown.ts.
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => liveChildren.forEach((child) => signalGroup(child.pid, 'SIGKILL')));

function hasExited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to the child's group, SIGKILL once it has exited or `graceMs` has passed (a task runner may outlive its parent). */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
	if (!hasExited(child)) {
		signalGroup(child.pid, 'SIGTERM');
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				child.off('exit', done);
				resolve();
			};
			const timer = setTimeout(done, graceMs);
			child.once('exit', done);
		});
	}
	signalGroup(child.pid, 'SIGKILL');
}

/** Stops every child still running, all at once; see stopGroup. */
export async function stopAllGroups(graceMs: number): Promise<void> {
	await Promise.all([...liveChildren].map((child) => stopGroup(child, graceMs)));
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
	if (code !== null) return code;
	return 128 + (signal ? constants.signals[signal] : 0);
}

/** The end of a long output, for error messages. */
export function tail(text: string, max = 4000): string {
	return text.length > max ? `…${text.slice(-max)}` : text;
}

export type SpawnOptions = Pick<CommandOptions, 'cwd' | 'env' | 'uid' | 'gid'>;

/**
 * Starts a command in a process group of its own (so it can be ended with whatever it started), stdin
 * closed, stdout and stderr piped; tracked until it closes.
 */
export function spawnInGroup(command: string, args: string[], options: SpawnOptions): ChildProcessByStdio<null, Readable, Readable> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		...(options.uid === undefined ? {} : { uid: options.uid }),
		...(options.gid === undefined ? {} : { gid: options.gid }),
	});
	liveChildren.add(child);
	child.on('close', () => liveChildren.delete(child));
	child.on('error', () => liveChildren.delete(child));
	return child;
}

/**
 * Runs a command to completion and returns its output. Both pipes are always read to the end:
 * n8n spins at full CPU forever when the reader of its stdout goes away.
 */
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		// Own process group, so a timeout or a leftover child can be ended as a whole.
		const child = spawnInGroup(command, args, options);
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			signalGroup(child.pid, 'SIGKILL');
		}, options.timeoutMs);

		// A child left behind would keep the pipes open and 'close' would never come.
		child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const result: CommandResult = {
				exitCode: exitCodeOf(code, signal),
				...(signal ? { signal } : {}),
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			};
			if (timedOut) {
				const shown = `${command} ${args.join(' ')}`;
				reject(
					new Error(
						`${shown} timed out after ${options.timeoutMs} ms\n` +
							`stdout:\n${tail(result.stdout)}\nstderr:\n${tail(result.stderr)}`,
					),
				);
				return;
			}
			resolve(result);
		});
	});
}
