/**
 * Which failed requests may be sent again, and the one loop that sends them (withRetries) for the
 * Spark API and the staging bucket alike. Status reads, downloads (of results and of the input
 * image) and the staging bucket's PUT and DELETE of one key are safe to repeat; a create
 * POST is repeated only when the server said it did not process it (429, or 503 with Retry-After),
 * because repeating it after an unknown outcome could create a second paid task.
 */
import type { Clock } from './clock';
import { headerText } from './headers';
import { CancelledError, type RequestKind } from '../errors/failures';

export interface RetryPolicy {
	/** Retries after network errors and server errors. */
	maxRetries: number;
	/**
	 * Retries after 429. A rate limit says "not now" rather than "failed", and a busy batch meets
	 * it often, so it has a larger budget of its own.
	 */
	maxRateLimitRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const RATE_LIMIT_RETRIES_PER_RETRY = 5;

export function retryPolicy(maxRetries: number): RetryPolicy {
	return { maxRetries, maxRateLimitRetries: maxRetries * RATE_LIMIT_RETRIES_PER_RETRY, baseDelayMs: 500, maxDelayMs: 30_000 };
}

export type AttemptOutcome =
	| { kind: 'response'; statusCode: number; retryAfterMs?: number }
	| { kind: 'network' };

export function isRetryableStatus(kind: RequestKind, statusCode: number, retryAfterMs: number | undefined): boolean {
	if (kind === 'create') return statusCode === 429 || (statusCode === 503 && retryAfterMs !== undefined);
	return statusCode === 408 || statusCode === 425 || statusCode === 429 || statusCode >= 500;
}

export function isRateLimited(outcome: AttemptOutcome): boolean {
	return outcome.kind === 'response' && outcome.statusCode === 429;
}

/**
 * The delay before the next attempt, or undefined when the request must not be repeated.
 * `retriesSoFar` counts earlier retries of the same budget (rate limits, or other failures).
 */
export function retryDelay(kind: RequestKind, outcome: AttemptOutcome, retriesSoFar: number, policy: RetryPolicy): number | undefined {
	if (retriesSoFar >= (isRateLimited(outcome) ? policy.maxRateLimitRetries : policy.maxRetries)) return undefined;
	if (outcome.kind === 'network') {
		if (kind === 'create') return undefined;
	} else if (!isRetryableStatus(kind, outcome.statusCode, outcome.retryAfterMs)) {
		return undefined;
	}
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesSoFar);
	const serverDelay = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
	return Math.min(policy.maxDelayMs, Math.max(backoff, serverDelay ?? 0));
}

/** Retry-After holds seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const raw = headerText(value);
	if (raw === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** What one attempt came to: its value, or a failure the loop may try again. */
export type Attempt<T> =
	| { ok: true; value: T }
	| {
		ok: false;
		outcome: AttemptOutcome;
		/** In a few words, for whoever gives the request up (a deadline says why reads failed). */
		reason: string;
		/** When no retry is left: throws the failure (or settles for what was received). */
		giveUp: (attempts: number) => T;
	};

/** An attempt that got no answer (reset, timeout, refused): tried again where the request kind allows. */
export function networkFailure<T>(reason: string, failure: (attempts: number) => Error): Attempt<T> {
	return {
		ok: false,
		outcome: { kind: 'network' },
		reason,
		giveUp: (attempts) => {
			throw failure(attempts);
		},
	};
}

export interface RetryLoop {
	kind: RequestKind;
	policy: RetryPolicy;
	clock: Clock;
	signal?: AbortSignal;
	/** A 429 is retried without a wait of the loop's own: something else (the request budget) holds the request. */
	rateLimitsWaitElsewhere?: boolean;
	/** Waited for before each attempt (the request budget): nothing is sent while it waits. */
	gate?: () => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds or retryDelay says stop. Rate limits and other failures count
 * against their own budgets. An attempt that throws ends the loop (a cancel while it ran becomes
 * a CancelledError carrying the last failure).
 */
export async function withRetries<T>(loop: RetryLoop, attempt: () => Promise<Attempt<T>>): Promise<T> {
	const { kind, policy, clock, signal } = loop;
	const tally = { failures: 0, rateLimits: 0 };
	let lastFailure: string | undefined;
	for (;;) {
		if (signal?.aborted) throw new CancelledError(lastFailure);
		// A gate that gives up (the budget's pause is longer than the request may wait) says why; a cancel there sent nothing.
		const refused = loop.gate && (await loop.gate().then(() => undefined, (error: unknown) => ({ error })));
		if (refused) throw signal?.aborted || refused.error instanceof CancelledError ? new CancelledError(lastFailure) : refused.error;
		// Handled after the promise, so the error is not rethrown from a catch block.
		const result = await attempt().then((done) => ({ done }), (error: unknown) => ({ error }));
		// Aborted while an attempt ran: that request was sent and never answered.
		if ('error' in result) throw signal?.aborted ? new CancelledError(lastFailure, true) : result.error;
		const { done } = result;
		if (done.ok) return done.value;
		lastFailure = done.reason;
		const rateLimited = isRateLimited(done.outcome);
		const allowed = retryDelay(kind, done.outcome, rateLimited ? tally.rateLimits : tally.failures, policy);
		if (allowed === undefined) return done.giveUp(tally.failures + tally.rateLimits + 1);
		const delay = rateLimited && loop.rateLimitsWaitElsewhere ? 0 : allowed;
		if (rateLimited) tally.rateLimits++;
		else tally.failures++;
		// Jitter, so parallel items that were told to wait the same time do not return together.
		const slept = await clock.sleep(delay * (1 + Math.random() * 0.2), signal).then(() => true, () => false);
		if (!slept) throw new CancelledError(lastFailure);
	}
}
