/**
 * Time and cancellation, shared by the transport (retry waits) and the helpers (the poller): a leaf
 * module that imports nothing of the node's, so both layers can lean on it.
 */
import { sleep } from 'n8n-workflow';

export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'CancelledError';
	}
}

/** Time as the poller and the retries see it; tests swap in a fake one. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new CancelledError();
}

async function sleepUnlessCancelled(ms: number, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	if (ms <= 0) return;
	if (!signal) return await sleep(ms);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(new CancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
		void sleep(ms).then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: sleepUnlessCancelled,
};
