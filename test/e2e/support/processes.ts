// What is running on this machine, read from /proc (Linux): to find the processes a command started
// and to see whether any of them outlives it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
	pid: number;
	ppid: number;
	/** Start time in clock ticks since boot: with the pid, it tells a process from a later one given the same pid. */
	startTime: number;
	/** One-letter state; Z is a zombie, a process that has ended and waits to be reaped. */
	state: string;
	command: string;
	cwd?: string;
}

function read(pid: number): ProcessInfo | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name in parentheses may itself hold spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		let cwd: string | undefined;
		try {
			cwd = readlinkSync(`/proc/${pid}/cwd`);
		} catch {
			// Another user's process, or it just ended.
		}
		return { pid, ppid: Number(fields[1]), startTime: Number(fields[19]), state: fields[0], command, cwd };
	} catch {
		return undefined;
	}
}

export function allProcesses(): ProcessInfo[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => read(Number(name)))
		.filter((info): info is ProcessInfo => info !== undefined);
}

/** Every process below `rootPid`, at this moment. */
export function descendants(rootPid: number): ProcessInfo[] {
	const all = allProcesses();
	const found: ProcessInfo[] = [];
	const parents = new Set([rootPid]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const info of all) {
			if (parents.has(info.ppid) && !parents.has(info.pid)) {
				parents.add(info.pid);
				found.push(info);
				grew = true;
			}
		}
	}
	return found;
}

/** Those of `processes` still running (a zombie has ended; a new process with the same pid is another one). */
export function stillRunning(processes: ProcessInfo[]): ProcessInfo[] {
	return processes.filter((before) => {
		const now = read(before.pid);
		return now !== undefined && now.startTime === before.startTime && now.state !== 'Z';
	});
}

/** Running processes whose working directory is one of `folders` or below it. */
export function runningIn(folders: string[]): ProcessInfo[] {
	return allProcesses().filter(
		(info) => info.state !== 'Z' && info.cwd !== undefined && folders.some((folder) => info.cwd === folder || info.cwd?.startsWith(`${folder}/`)),
	);
}
