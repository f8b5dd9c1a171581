/**
 * How `npm start` and `npm run demo` end, however they are told to: SIGINT (Ctrl-C), SIGTERM
 * (`timeout`, Docker, systemd), SIGHUP (a closed terminal), or their parent going away without a
 * word, which is what a SIGHUP to `npm start` does: npm passes only SIGINT and SIGTERM on to its
 * script. Every child (n8n, its task runner, n8n commands) is gone within STOP_LIMIT_MS.
 */
import { constants } from 'node:os';

import { stopAllGroups } from '../../test/e2e/support/child-process';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** n8n gets this long to shut down on SIGTERM before its process group is killed. */
const GRACE_MS = 5_000;
/** Well inside the 10 s CONTRIBUTING.md promises, whatever `cleanup` does. */
const STOP_LIMIT_MS = 8_000;
const PARENT_CHECK_MS = 250;

export interface ShutdownOptions {
	/** Ends what lives in this process (the simulator, a file server), after the children. */
	cleanup: () => Promise<void>;
	/** Exit code after a stop request; a signal's shell convention is 128 + its number. */
	exitCode: (signal: NodeJS.Signals) => number;
}

let requested = false;

/** Whether a stop was asked for; errors that follow from it (n8n killed mid-start) are expected then. */
export function stopRequested(): boolean {
	return requested;
}

export function exitCodeOfSignal(signal: NodeJS.Signals): number {
	return 128 + constants.signals[signal];
}

export function stopOnSignals(options: ShutdownOptions): void {
	const parent = process.ppid;
	const stop = async (signal: NodeJS.Signals, reason: string) => {
		if (requested) {
			// A second request: no more waiting.
			await stopAllGroups(0);
			process.exit(options.exitCode(signal));
		}
		requested = true;
		clearInterval(parentWatch);
		console.log(`\n${reason}: stopping n8n and the simulator ...`);
		const limit = new Promise<void>((resolve) => setTimeout(resolve, STOP_LIMIT_MS));
		const orderly = (async () => {
			await stopAllGroups(GRACE_MS);
			await options.cleanup();
		})().catch((error: unknown) => console.error(`while stopping: ${error instanceof Error ? error.message : String(error)}`));
		await Promise.race([orderly, limit]);
		// Whatever is left now is killed on exit (see child-process.ts).
		process.exit(options.exitCode(signal));
	};
	for (const signal of SIGNALS) process.on(signal, () => void stop(signal, signal));
	const parentWatch = setInterval(() => {
		if (process.ppid !== parent) void stop('SIGHUP', `the parent process (${parent}) ended`);
	}, PARENT_CHECK_MS);
	parentWatch.unref();
}
