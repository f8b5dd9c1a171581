/**
 * A generic poller: read, stop at once on a terminal value, otherwise sleep and read again, until
 * the wait timeout, a hard deadline: a read still unanswered (hung, rate limited, retrying)
 * READ_GRACE_MS after it is abandoned, and a cancelled execution or batch ends the wait at once.
 */
import { startDeadline, throwIfCancelled, type Clock } from '../transport/clock';
import { CancelledError } from '../errors/failures';

export interface PollRead<T> {
	value: T;
	/** A delay the server asked for (Retry-After), which the next sleep honours. */
	hintMs?: number;
}

/** The delay before the next read, given the time since the wait began. */
export type PollSchedule = (elapsedMs: number) => number;

export interface PollOptions<T> {
	/** `signal` aborts at the deadline or on cancel: the read must stop waiting then. */
	read: (signal: AbortSignal) => Promise<PollRead<T>>;
	isDone: (value: T) => boolean;
	/** A value already known before the first read (the create response). */
	initial?: T;
	timeoutMs: number;
	schedule: PollSchedule;
	clock: Clock;
	signal?: AbortSignal;
}

export type PollResult<T> =
	| { done: true; value: T; polls: number; elapsedMs: number }
	| { done: false; value: T | undefined; polls: number; elapsedMs: number; lastFailure?: string };

/** How long the last read, sent at the timeout, may still take: a task that just finished is seen. */
export const READ_GRACE_MS = 500;

export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
	const { clock, signal } = options;
	const start = clock.now();
	const deadline = startDeadline(clock, options.timeoutMs + READ_GRACE_MS, signal);
	let value = options.initial;
	let hintMs: number | undefined;
	let polls = 0;
	const timedOut = (lastFailure?: string): PollResult<T> => ({
		done: false,
		value,
		polls,
		elapsedMs: clock.now() - start,
		...(lastFailure === undefined ? {} : { lastFailure }),
	});
	try {
		for (;;) {
			if (value !== undefined && options.isDone(value)) {
				return { done: true, value, polls, elapsedMs: clock.now() - start };
			}
			const elapsedMs = clock.now() - start;
			const remaining = options.timeoutMs - elapsedMs;
			if (remaining <= 0) return timedOut();
			const delay = Math.min(remaining, Math.max(options.schedule(elapsedMs), hintMs ?? 0));
			// A sleep or read cut short by the deadline ends the wait with the last value; a cancel is
			// thrown on. (Handled after the promise, so the error is not rethrown from a catch block.)
			const step = await clock.sleep(delay, deadline.signal).then(async () => await options.read(deadline.signal)).then(
				(read) => ({ read }),
				(error: unknown) => ({ error }),
			);
			if ('error' in step) {
				// A read given up at the deadline may have been failing: the timeout says so.
				if (deadline.expired) return timedOut(step.error instanceof CancelledError ? step.error.lastFailure : undefined);
				throwIfCancelled(signal);
				throw step.error;
			}
			value = step.read.value;
			hintMs = step.read.hintMs;
			polls++;
		}
	} finally {
		deadline.dispose();
	}
}

/**
 * The default schedule. The first read comes soon after create; after that the gap grows with the
 * time already waited (about 4.5 % of it), so the moment a task finishes is seen within roughly
 * 5 % of its run time, while long tasks cost few reads. Capped, so a stalled task is still seen.
 */
const ADAPTIVE_BASE_GAP_MS = 250;
export const ADAPTIVE_GROWTH = 0.045;
const ADAPTIVE_MAX_GAP_MS = 15_000;

/** A gap that grows with the time waited: `growth` of it on top of the base gap, capped (the learned schedule grows its own way). */
export function growingGap(elapsedMs: number, growth: number): number {
	return Math.min(ADAPTIVE_MAX_GAP_MS, ADAPTIVE_BASE_GAP_MS + growth * elapsedMs);
}

export const adaptiveSchedule: PollSchedule = (elapsedMs) => growingGap(elapsedMs, ADAPTIVE_GROWTH);

/** The user's Poll Interval overrides the adaptive schedule. */
export function fixedSchedule(intervalMs: number): PollSchedule {
	return () => intervalMs;
}
