/**
 * One request budget per API origin, shared by every item and every execution of this n8n process
 * (a queue-mode worker, or the main in regular mode); other processes have budgets of their own and
 * meet only at the API. Every try of an API request (create or status read, a retry as much as a
 * first try) takes a pass first, the lowest priority number first (creates, then reads of tasks
 * most likely finished), in arrival order within a priority. Passes are spaced by what the API said:
 *   - a 429's Retry-After (or, lacking it, the Reset header or one window) pauses every request;
 *   - announced limits (X-RateLimit-*, RateLimit-*) are never exceeded by this process, counted
 *     over a sliding window, which is at least as strict as the server's fixed or sliding one;
 *   - `Remaining: 0` pauses until the Reset;
 *   - while nothing is known (a cold start, no limit announced), the first window carries at most
 *     FIRST_BURST requests, and each window spent whole without a 429 lets the next carry half as
 *     many again: a burst is never much larger than what the API has been seen to take;
 *   - a 429 that came anyway (the limit is unannounced, or another process spends it) caps this
 *     process at the limit it met less the requests refused in that window; the cap holds
 *     for WINDOWS_PER_RAISE windows spent whole before it grows by one, so the next wave keeps to it.
 *     Idle time raises nothing: a batch that starts after a pause would otherwise send its first
 *     burst as if nothing had been learned.
 * A pause the server asks for is held at most MAX_SERVER_PAUSE_MS (a Reset three years ahead is a
 * broken header, not a plan), and the budget keeps at most MAX_TRACKED_SENDS send times, so a
 * limit of a billion per three years costs no more memory or work than one of a thousand.
 */
import { type Clock } from './clock';
import { ExpiringCache } from './expiringCache';
import { parseRateLimitHeaders } from './headers';
import { parseRetryAfter } from './retry';
import { CancelledError } from '../errors/failures';

export const PRIORITY = { create: 0, likelyDone: 1, read: 2 } as const;

/** The window when the API does not name one: per-second limits are the common case. */
export const DEFAULT_WINDOW_MS = 1000;
/** Requests are counted over a slightly longer window than the server's: their arrival varies with the network. */
const WINDOW_MARGIN = 1.05;
/**
 * A limit the process works out itself (the cold start's ramp, a cap after a 429) is counted over a
 * longer one: the API counts a burst from its arrival, the budget from its send, and a burst takes
 * a while to leave a busy process; an overlap would read as a lower limit than the API's.
 */
const LEARNED_WINDOW_MARGIN = 1.1;
export const FIRST_BURST = 15;
const RAMP_GROWTH = 1.5;
const WINDOWS_PER_RAISE = 30;
/** The longest pause an answer can impose on this process (documented in the README). */
export const MAX_SERVER_PAUSE_MS = 5 * 60_000;
/** Send times kept: a larger limit is kept at its rate, this many sends per its share of the window. */
export const MAX_TRACKED_SENDS = 1000;

interface Waiter {
	priority: number;
	grant(): void;
}

export class RequestBudget {
	/** When this process sent its requests within the current window, oldest first. */
	private sent: number[] = [];
	/** When the API answered them 429, within the current window, and the limit the window's first 429 met. */
	private refused: number[] = [];
	private refusedFrom = Infinity;
	/** Requests per window while nothing is known (no limit announced, no 429 yet). */
	private ramp = FIRST_BURST;
	private announcedLimit: number | undefined;
	private windowMs = DEFAULT_WINDOW_MS;
	/** This process's own ceiling after a 429 that came anyway. */
	private cap: number | undefined;
	/** Windows spent whole at what the process allows itself since it last changed, and when the latest filled up. */
	private fullWindows = 0;
	private lastFullAt: number;
	private pausedUntil = 0;
	/** What the server asked for when it set the current pause, before the cap: an error may say it. */
	askedPauseMs = 0;
	private readonly queue: Waiter[] = [];
	private pumping = false;
	/** Ends the pump's sleep when its last waiter gives up: no timer outlives the requests it was for. */
	private wake?: AbortController;
	lastUsedAt: number;

	constructor(private readonly clock: Clock) {
		this.lastUsedAt = this.lastFullAt = clock.now();
	}

	/** The window sends are counted over: the API's, with the margin for who set the limit in force. */
	private get countedWindowMs(): number {
		return this.windowMs * (this.ownLimit !== undefined && this.ownLimit < (this.announcedLimit ?? Infinity) ? LEARNED_WINDOW_MARGIN : WINDOW_MARGIN);
	}

	/** What this process allows itself: the cap learned from a 429, or the cold start's ramp while nothing is announced. */
	private get ownLimit(): number | undefined {
		return this.cap ?? (this.announcedLimit === undefined ? this.ramp : undefined);
	}

	/** Requests this process may send per window now (Infinity: no limit). */
	get limit(): number {
		return Math.min(this.ownLimit ?? Infinity, this.announcedLimit ?? Infinity);
	}

	/** How long from now every request waits for a pause the API asked for. */
	get pausedForMs(): number {
		return Math.max(0, this.pausedUntil - this.clock.now());
	}

	get busy(): boolean {
		return this.queue.length > 0;
	}

	/** Resolves when a request of this priority may be sent; rejects with CancelledError on abort. */
	async take(priority: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new CancelledError();
		if (this.queue.length === 0 && this.nextSendAt() <= this.clock.now()) return this.recordSend();
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				const index = this.queue.indexOf(waiter);
				if (index >= 0) this.queue.splice(index, 1);
				if (this.queue.length === 0) this.wake?.abort();
				reject(new CancelledError());
			};
			const waiter: Waiter = {
				priority,
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					this.recordSend();
					resolve();
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			const before = this.queue.findIndex((other) => other.priority > priority);
			this.queue.splice(before < 0 ? this.queue.length : before, 0, waiter);
			void this.pump();
		});
	}

	observe(statusCode: number, headers: Record<string, unknown>): void {
		const now = this.clock.now();
		const info = parseRateLimitHeaders(headers, now);
		if (info.limit !== undefined && info.limit > 0) this.announcedLimit = info.limit;
		if (info.windowMs !== undefined && info.windowMs > 0) this.windowMs = info.windowMs;
		if (info.remaining === 0 && info.resetMs !== undefined) this.pause(now, info.resetMs);
		if (statusCode !== 429) return;
		const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
		this.pause(now, retryAfterMs ?? info.resetMs ?? this.windowMs);
		// The window's first refusal fixes what it is counted from: each refusal in it takes one off.
		if (within(this.refused, now - this.countedWindowMs) === 0) this.refusedFrom = this.limit;
		this.refused.push(now);
		if (this.refused.length > MAX_TRACKED_SENDS) this.refused.shift();
		this.cap = Math.max(1, this.refusedFrom - this.refused.length);
		this.fullWindows = 0;
		this.lastFullAt = now;
	}

	private pause(now: number, askedMs: number): void {
		const until = now + Math.min(askedMs, MAX_SERVER_PAUSE_MS);
		if (until <= this.pausedUntil) return;
		this.pausedUntil = until;
		this.askedPauseMs = askedMs;
	}

	/** A send that fills the window (the process wants more than it allows itself) counts it spent whole; enough raise the ramp or cap. */
	private raiseWhenSpent(now: number): void {
		const own = this.ownLimit;
		if (own === undefined || own >= (this.announcedLimit ?? Infinity) || this.sentWithin(now) < own) return;
		if (now - this.lastFullAt < this.countedWindowMs) return;
		this.lastFullAt = now;
		if (++this.fullWindows < (this.cap === undefined ? 1 : WINDOWS_PER_RAISE)) return;
		this.fullWindows = 0;
		if (this.cap === undefined) this.ramp = Math.ceil(this.ramp * RAMP_GROWTH);
		else this.cap += 1;
		if (this.cap !== undefined && this.cap >= (this.announcedLimit ?? Infinity)) this.cap = undefined;
	}

	private sentWithin(now: number): number {
		return within(this.sent, now - this.countedWindowMs);
	}

	/** The earliest time the next request may go. */
	private nextSendAt(): number {
		const now = this.clock.now();
		const limit = this.limit;
		if (limit === Infinity) return this.pausedUntil;
		// The `count`-th latest send must have left its share of the window (the whole window when count = limit).
		const count = Math.min(limit, MAX_TRACKED_SENDS);
		const span = (this.countedWindowMs * count) / limit;
		const oldest = this.sentWithin(now) >= count ? this.sent[this.sent.length - count] : -Infinity;
		return Math.max(this.pausedUntil, oldest + span);
	}

	private recordSend(): void {
		const now = this.clock.now();
		this.lastUsedAt = now;
		// Bounded: every grant first drops the sends that left the window (nextSendAt), and the oldest past the count.
		this.sent.push(now);
		if (this.sent.length > MAX_TRACKED_SENDS) this.sent.shift();
		this.raiseWhenSpent(now);
	}

	/** Hands out passes in priority order as the window and pauses allow; one pump per budget. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.queue.length > 0) {
				const wait = this.nextSendAt() - this.clock.now();
				if (wait > 0) {
					this.wake = new AbortController();
					await this.clock.sleep(wait, this.wake.signal).catch(() => undefined);
					this.wake = undefined;
				} else {
					this.queue.shift()?.grant();
				}
			}
		} finally {
			this.pumping = false;
		}
	}
}

/** How many of `times` (oldest first) are later than `since`; the earlier ones are dropped. */
function within(times: number[], since: number): number {
	const kept = times.findIndex((at) => at > since);
	times.splice(0, kept < 0 ? times.length : kept);
	return times.length;
}

/** At most 32 API origins have a budget, each forgotten FORGET_AFTER_MS after its last request. */
const budgets = new ExpiringCache<RequestBudget>({
	maxEntries: 32,
	create: (clock) => new RequestBudget(clock),
	inUse: (budget) => budget.busy,
	lastUsedAt: (budget) => budget.lastUsedAt,
});

/** The process's budget for an API origin (scheme, host and port). */
export function budgetFor(origin: string, clock: Clock): RequestBudget {
	return budgets.get(clock, origin);
}
