/**
 * One request budget per API origin, shared by every item and every execution of this n8n process
 * (a queue-mode worker, or the main in regular mode). Each API request (create or status read)
 * takes a pass first; the budget spaces them by what the API has said about its limit:
 *   - a 429's Retry-After (or, lacking it, the Reset header or one window) pauses every request;
 *   - announced limits (X-RateLimit-*, RateLimit-*) are never exceeded by this process, counted
 *     over a sliding window, which is at least as strict as the server's fixed or sliding one;
 *   - `Remaining: 0` pauses until the Reset;
 *   - a 429 that came anyway (another process spends the same limit) caps this process below the
 *     rate that drew it; the cap grows back by one request every two windows this process spends
 *     it whole without a 429. Idle time does not raise it: a batch that starts after a pause would
 *     otherwise send its first burst as if nothing had been learned.
 * A pause the server asks for is held at most MAX_SERVER_PAUSE_MS (a Reset three years ahead is a
 * broken header, not a plan), and the budget keeps at most MAX_TRACKED_SENDS send times, so a
 * limit of a billion per three years costs no more memory or work than one of a thousand.
 * When requests must wait, the lowest priority number goes first (creates, then reads of tasks
 * most likely finished), in arrival order within a priority. Other processes are not seen: each
 * has a budget of its own and they meet only at the API.
 */
import { type Clock } from './clock';
import { parseRateLimitHeaders } from './rateLimitHeaders';
import { parseRetryAfter } from './retry';
import { CancelledError } from '../errors/failures';

/** Lower goes first. */
export const PRIORITY = { create: 0, likelyDone: 1, read: 2 } as const;

/** The window when the API does not name one: per-second limits are the common case. */
export const DEFAULT_WINDOW_MS = 1000;
/** Requests are counted over a slightly longer window than the server's: their arrival varies with the network. */
const WINDOW_MARGIN = 1.05;
/** After a 429 that came anyway, the process keeps below this share of the rate that drew it. */
const BACK_OFF_SHARE = 0.8;
/** The cap grows back by one request per this many windows spent at the cap without a 429. */
const WINDOWS_PER_RAISE = 2;
/** The longest pause an answer can impose on this process (documented in the README). */
export const MAX_SERVER_PAUSE_MS = 5 * 60_000;
/** Send times kept: a larger limit is kept at its rate, this many sends per its share of the window. */
export const MAX_TRACKED_SENDS = 1000;

interface Waiter {
	priority: number;
	order: number;
	grant(): void;
}

export class RequestBudget {
	/** When this process sent its requests within the current window, oldest first. */
	private sent: number[] = [];
	private announcedLimit: number | undefined;
	private windowMs = DEFAULT_WINDOW_MS;
	/** This process's own ceiling after a 429 that came anyway. */
	private cap: number | undefined;
	private capChangedAt = 0;
	private pausedUntil = 0;
	/** What the server asked for when it set the current pause, before the cap: an error may say it. */
	askedPauseMs = 0;
	private readonly queue: Waiter[] = [];
	private order = 0;
	private pumping = false;
	lastUsedAt: number;

	constructor(private readonly clock: Clock) {
		this.lastUsedAt = clock.now();
	}

	/** Requests this process may send per window now; undefined = nothing known, no limit. */
	get limit(): number | undefined {
		if (this.cap === undefined) return this.announcedLimit;
		return this.announcedLimit === undefined ? this.cap : Math.min(this.cap, this.announcedLimit);
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
				reject(new CancelledError());
			};
			const waiter: Waiter = {
				priority,
				order: this.order++,
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

	/** What an answer said about the limit. */
	observe(statusCode: number, headers: Record<string, unknown>): void {
		const now = this.clock.now();
		const info = parseRateLimitHeaders(headers, now);
		if (info.limit !== undefined && info.limit > 0) this.announcedLimit = info.limit;
		if (info.windowMs !== undefined && info.windowMs > 0) this.windowMs = info.windowMs;
		if (info.remaining === 0 && info.resetMs !== undefined) this.pause(now, info.resetMs);
		if (statusCode !== 429) return;
		const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
		this.pause(now, retryAfterMs ?? info.resetMs ?? this.windowMs);
		const drawn = this.sentWithin(now);
		this.cap = Math.max(1, Math.min(this.limit ?? Infinity, Math.floor(drawn * BACK_OFF_SHARE)));
		this.capChangedAt = now;
	}

	private pause(now: number, askedMs: number): void {
		const until = now + Math.min(askedMs, MAX_SERVER_PAUSE_MS);
		if (until <= this.pausedUntil) return;
		this.pausedUntil = until;
		this.askedPauseMs = askedMs;
	}

	/** Raises the cap when the process has filled the window at it: it wants more than the cap gives. */
	private raiseCapWhenSpent(now: number): void {
		if (this.cap === undefined || this.sentWithin(now) < this.cap) return;
		if (now - this.capChangedAt < this.windowMs * WINDOWS_PER_RAISE) return;
		this.cap += 1;
		this.capChangedAt = now;
		if (this.announcedLimit !== undefined && this.cap >= this.announcedLimit) this.cap = undefined;
	}

	private sentWithin(now: number): number {
		const since = now - this.windowMs * WINDOW_MARGIN;
		const kept = this.sent.findIndex((at) => at > since);
		this.sent.splice(0, kept < 0 ? this.sent.length : kept);
		return this.sent.length;
	}

	/** The earliest time the next request may go. */
	private nextSendAt(): number {
		const now = this.clock.now();
		this.raiseCapWhenSpent(now);
		const limit = this.limit;
		if (limit === undefined) return this.pausedUntil;
		// The `count`-th latest send must have left its share of the window (the whole window when count = limit).
		const count = Math.min(limit, MAX_TRACKED_SENDS);
		const span = (this.windowMs * WINDOW_MARGIN * count) / limit;
		const oldest = this.sentWithin(now) >= count ? this.sent[this.sent.length - count] : -Infinity;
		return Math.max(this.pausedUntil, oldest + span);
	}

	private recordSend(): void {
		const now = this.clock.now();
		this.lastUsedAt = now;
		// Bounded: every grant first drops the sends that left the window (nextSendAt), and the oldest past the count.
		this.sent.push(now);
		if (this.sent.length > MAX_TRACKED_SENDS) this.sent.shift();
	}

	/** Hands out passes in priority order as the window and pauses allow; one pump per budget. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.queue.length > 0) {
				const wait = this.nextSendAt() - this.clock.now();
				if (wait > 0) await this.clock.sleep(wait);
				else this.queue.shift()?.grant();
			}
		} finally {
			this.pumping = false;
		}
	}
}

/** Budgets are forgotten this long after their last request, and at most this many are kept. */
export const FORGET_AFTER_MS = 15 * 60_000;
export const MAX_ORIGINS = 32;

/** Per clock, so tests on a fake clock never share a budget with anything else. */
const budgets = new WeakMap<Clock, Map<string, RequestBudget>>();

/** The process's budget for an API origin (scheme, host and port). */
export function budgetFor(origin: string, clock: Clock): RequestBudget {
	let byOrigin = budgets.get(clock);
	if (!byOrigin) budgets.set(clock, (byOrigin = new Map()));
	const now = clock.now();
	for (const [key, budget] of byOrigin) {
		if (!budget.busy && now - budget.lastUsedAt > FORGET_AFTER_MS) byOrigin.delete(key);
	}
	let budget = byOrigin.get(origin);
	if (!budget) {
		if (byOrigin.size >= MAX_ORIGINS) {
			const idle = [...byOrigin].filter(([, other]) => !other.busy).sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt)[0];
			if (idle) byOrigin.delete(idle[0]);
		}
		budget = new RequestBudget(clock);
		byOrigin.set(origin, budget);
	}
	return budget;
}
