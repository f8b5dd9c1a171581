/**
 * Which failed requests may be sent again, for the Spark API and the staging bucket alike (the
 * loop that sends them again is HttpCore.send). Status reads, downloads (of results and of the input
 * image) and the staging bucket's PUT and DELETE of one key are safe to repeat; a create
 * POST is repeated only when the server said it did not process it (429, or 503 with Retry-After),
 * because repeating it after an unknown outcome could create a second paid task.
 */
import { headerText } from './headers';
import type { RequestKind } from '../errors/failures';

export interface RetryPolicy {
	/** Retries after network errors and server errors. */
	maxRetries: number;
	/** Retries after 429: a rate limit says "not now" rather than "failed", and a busy batch meets it often. */
	maxRateLimitRetries: number;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
export const RATE_LIMIT_RETRIES_PER_RETRY = 5;

export function retryPolicy(maxRetries: number): RetryPolicy {
	return { maxRetries, maxRateLimitRetries: maxRetries * RATE_LIMIT_RETRIES_PER_RETRY };
}

export type AttemptOutcome =
	| { kind: 'response'; statusCode: number; retryAfterMs?: number }
	| { kind: 'network' };

function isRetryable(kind: RequestKind, outcome: AttemptOutcome): boolean {
	if (outcome.kind === 'network') return kind !== 'create';
	const { statusCode, retryAfterMs } = outcome;
	if (kind === 'create') return statusCode === 429 || (statusCode === 503 && retryAfterMs !== undefined);
	return statusCode === 408 || statusCode === 425 || statusCode === 429 || statusCode >= 500;
}

export function isRateLimited(outcome: AttemptOutcome): boolean {
	return outcome.kind === 'response' && outcome.statusCode === 429;
}

/** `retriesSoFar` counts earlier retries of the same budget (rate limits, or other failures); undefined: not to be repeated. */
export function retryDelay(kind: RequestKind, outcome: AttemptOutcome, retriesSoFar: number, policy: RetryPolicy): number | undefined {
	if (retriesSoFar >= (isRateLimited(outcome) ? policy.maxRateLimitRetries : policy.maxRetries)) return undefined;
	if (!isRetryable(kind, outcome)) return undefined;
	const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retriesSoFar);
	const serverDelay = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
	return Math.min(MAX_DELAY_MS, Math.max(backoff, serverDelay ?? 0));
}

/** Retry-After holds seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const raw = headerText(value);
	if (raw === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
