import { spawn, type ChildProcessByStdio } from 'node:child_process';
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
 * closed, stdout and stderr piped.
 */
export function spawnInGroup(command: string, args: string[], options: SpawnOptions): ChildProcessByStdio<null, Readable, Readable> {
	return spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		...(options.uid === undefined ? {} : { uid: options.uid }),
		...(options.gid === undefined ? {} : { gid: options.gid }),
	});
}

/**
 * Runs a command to completion and returns its output. Both pipes are always read to the end:
 * n8n spins at full CPU forever when the reader of its stdout goes away.
 */
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
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
