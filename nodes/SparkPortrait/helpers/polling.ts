/**
 * A generic poller: read, stop at once on a terminal value, otherwise sleep and read again, until
 * the wait timeout. It never sleeps after a terminal value, and a cancelled execution ends it
 * within one sleep.
 */
import { throwIfCancelled, type Clock } from '../transport/clock';

export interface PollRead<T> {
	value: T;
	/** A delay the server asked for (Retry-After), which the next sleep honours. */
	hintMs?: number;
}

/** The delay before poll number `polls + 1`, given the time since the wait began. */
export type PollSchedule = (polls: number, elapsedMs: number) => number;

export interface PollOptions<T> {
	read: (signal?: AbortSignal) => Promise<PollRead<T>>;
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
	| { done: false; value: T | undefined; polls: number; elapsedMs: number };

export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
	const { clock, signal } = options;
	const start = clock.now();
	let value = options.initial;
	let hintMs: number | undefined;
	let polls = 0;
	for (;;) {
		if (value !== undefined && options.isDone(value)) {
			return { done: true, value, polls, elapsedMs: clock.now() - start };
		}
		const elapsedMs = clock.now() - start;
		const remaining = options.timeoutMs - elapsedMs;
		if (remaining <= 0) return { done: false, value, polls, elapsedMs };
		const delay = Math.min(remaining, Math.max(options.schedule(polls, elapsedMs), hintMs ?? 0));
		await clock.sleep(delay, signal);
		throwIfCancelled(signal);
		const read = await options.read(signal);
		value = read.value;
		hintMs = read.hintMs;
		polls++;
	}
}

/**
 * The default schedule. The first read comes soon after create; after that the gap grows with the
 * time already waited (about 4.5 % of it), so the moment a task finishes is seen within roughly
 * 5 % of its run time, while long tasks cost few reads. Capped, so a stalled task is still seen.
 */
export const ADAPTIVE_BASE_GAP_MS = 250;
export const ADAPTIVE_GROWTH = 0.045;
export const ADAPTIVE_MAX_GAP_MS = 15_000;

export const adaptiveSchedule: PollSchedule = (_polls, elapsedMs) =>
	Math.min(ADAPTIVE_MAX_GAP_MS, ADAPTIVE_BASE_GAP_MS + ADAPTIVE_GROWTH * elapsedMs);

/** The user's Poll Interval overrides the adaptive schedule. */
export function fixedSchedule(intervalMs: number): PollSchedule {
	return () => intervalMs;
}
