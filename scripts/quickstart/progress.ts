/**
 * While a quiet step of `npm start` or `npm run demo` runs (n8n importing, migrating its database,
 * running the workflow), say what it is, how far it got and how long so far: a terminal gets one line
 * rewritten every second, a log a line every LOG_EVERY_MS, so nobody watches more than ~10 s of
 * silence. The same rhythm as scripts/n8n/progress.sh, which covers the install before.
 */
const TICK_MS = 1_000;
const LOG_EVERY_MS = 6_000;

export interface Step {
	/** What runs, e.g. 'Importing the credential into n8n'. */
	label: string;
	/** How long it usually takes, said next to the time so far. */
	usual?: string;
	/** How far it got, when that can be told (the task's status). */
	far?: () => string | undefined;
}

function duration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

function line(step: Step, started: number): string {
	const far = step.far?.();
	const usual = step.usual ? ` (usually ${step.usual})` : '';
	return `${step.label}${far ? `: ${far}` : ''}, ${duration(Date.now() - started)} so far${usual}`;
}

export async function withProgress<T>(step: Step, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const tty = process.stdout.isTTY === true;
	let lastLogged = started;
	let lastFar = step.far?.();
	if (tty) process.stdout.write(line(step, started));
	else console.log(line(step, started));
	const timer = setInterval(() => {
		const far = step.far?.();
		if (tty) {
			process.stdout.write(`\r\x1b[K${line(step, started)}`);
		} else if (far !== lastFar || Date.now() - lastLogged >= LOG_EVERY_MS - TICK_MS / 2) {
			// A log gets a line when something changed, and a heartbeat otherwise.
			lastLogged = Date.now();
			console.log(line(step, started));
		}
		lastFar = far;
	}, TICK_MS);
	try {
		return await work();
	} finally {
		clearInterval(timer);
		if (tty) process.stdout.write('\r\x1b[K');
	}
}
