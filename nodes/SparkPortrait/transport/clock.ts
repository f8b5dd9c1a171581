/**
 * Time and cancellation, shared by the transport (retry waits), polling and an item's run: a leaf
 * module that imports nothing of the node's but its failures, so every layer can lean on it.
 */
import * as n8nWorkflow from 'n8n-workflow';

import { CancelledError } from '../errors/failures';

/** Time as the poller and the retries see it; tests swap in a fake one. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts (its timer cleared). */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new CancelledError();
}

/**
 * Settles like `work`, or rejects with CancelledError as soon as `signal` aborts, whatever `work`
 * does then. n8n's authenticated request helper puts the execution's own signal in place of ours,
 * so a request cannot always be aborted: the caller stops waiting for it instead. A later failure
 * of the abandoned work is consumed here, so it never surfaces as an unhandled rejection.
 */
export async function abandonOnAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return await work;
	let onAbort = (): void => undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => {
			work.catch(ignoreAbandoned);
			reject(new CancelledError());
		};
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		// The abort first: a signal aborted already wins over work that has settled too.
		return await Promise.race([aborted, work]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** An abandoned request's outcome has nobody left to tell. */
function ignoreAbandoned(): void {}

export type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * n8n-workflow's sleep that clears its timer on abort: 1.x exports it as `sleepWithAbort`; 2.x
 * dropped that name and gave `sleep` itself the signal. The package runs on the n8n-workflow of
 * the n8n that loads it, so it looks the function up rather than importing one name.
 * Exported for the unit test: one process cannot load n8n-workflow 1.x and 2.x, so it passes both shapes.
 */
export function abortableSleepOf(workflow: object): AbortableSleep {
	const named = (workflow as { sleepWithAbort?: unknown }).sleepWithAbort;
	return (typeof named === 'function' ? named : (workflow as { sleep: unknown }).sleep) as AbortableSleep;
}

/** The wall clock, sleeping with `abortableSleep`. Exported for the unit test, which gives it 1.x's leaky sleepWithAbort. */
export function wallClock(abortableSleep: AbortableSleep): Clock {
	return { now: () => Date.now(), sleep: async (ms, signal) => await sleepUnlessCancelled(abortableSleep, ms, signal) };
}

/**
 * The longest timer Node holds (2^31 - 1 ms, about 24.8 days): a longer one fires after 1 ms, with
 * a TimeoutOverflowWarning. The wall clock never asks for more; a sleep that long wakes early,
 * and whoever waits longer looks at the clock again (sleepUntil, the request budget's pump).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The one place the node's waits become timers. */
async function sleepUnlessCancelled(abortableSleep: AbortableSleep, requestedMs: number, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	const ms = Math.min(requestedMs, MAX_TIMER_MS);
	if (!(ms > 0)) return;
	if (!signal) return await n8nWorkflow.sleep(ms);
	// The sleep gets a signal of its own: 1.x's sleepWithAbort never removes its abort listener, and
	// a long wait sleeps on one signal hundreds of times. Its rejection can only be that abort; the
	// race turns it into CancelledError, and releases us at once even where sleep ignored the signal.
	const own = new AbortController();
	const forward = () => own.abort();
	signal.addEventListener('abort', forward, { once: true });
	try {
		await abandonOnAbort(abortableSleep(ms, own.signal).then(ignoreAbandoned, ignoreAbandoned), signal);
	} finally {
		signal.removeEventListener('abort', forward);
	}
	throwIfCancelled(signal);
}

export const realClock: Clock = wallClock(abortableSleepOf(n8nWorkflow));

/** Sleeps until `clock.now()` reaches `at`: a clock whose sleeps run short (a test's) still keeps the time. */
async function sleepUntil(clock: Clock, at: number, signal: AbortSignal): Promise<void> {
	for (let left = at - clock.now(); left > 0; left = at - clock.now()) await clock.sleep(left, signal);
}

/**
 * A signal that aborts when `parent` does or when `ms` have passed on `clock`. `expired` tells the
 * two apart; `dispose()` clears the timer once the guarded work is over.
 */
export function startDeadline(clock: Clock, ms: number, parent?: AbortSignal) {
	const controller = new AbortController();
	const timer = new AbortController();
	let expired = false;
	const onParentAbort = () => controller.abort();
	const dispose = () => {
		timer.abort();
		parent?.removeEventListener('abort', onParentAbort);
	};
	if (parent?.aborted) controller.abort();
	else parent?.addEventListener('abort', onParentAbort, { once: true });
	sleepUntil(clock, clock.now() + ms, timer.signal).then(
		() => {
			expired = !controller.signal.aborted;
			controller.abort();
			dispose();
		},
		ignoreAbandoned,
	);
	return {
		signal: controller.signal,
		get expired() {
			return expired;
		},
		dispose,
	};
}
