/**
 * Which failed requests may be sent again. Status reads and downloads are safe to repeat; a create
 * POST is repeated only when the server said it did not process it (429, or 503 with Retry-After),
 * because repeating it after an unknown outcome could create a second paid task.
 */
export type RequestKind = 'create' | 'status' | 'download';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export type AttemptOutcome =
	| { kind: 'response'; statusCode: number; retryAfterMs?: number }
	| { kind: 'network'; malformed?: boolean };

export function isRetryableStatus(kind: RequestKind, statusCode: number, retryAfterMs: number | undefined): boolean {
	if (kind === 'create') return statusCode === 429 || (statusCode === 503 && retryAfterMs !== undefined);
	return statusCode === 408 || statusCode === 425 || statusCode === 429 || statusCode >= 500;
}

/** The delay before the next attempt, or undefined when the request must not be repeated. */
export function retryDelay(kind: RequestKind, outcome: AttemptOutcome, attempt: number, policy: RetryPolicy): number | undefined {
	if (attempt >= policy.maxAttempts) return undefined;
	if (outcome.kind === 'network') {
		if (kind === 'create') return undefined;
	} else if (!isRetryableStatus(kind, outcome.statusCode, outcome.retryAfterMs)) {
		return undefined;
	}
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const serverDelay = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
	return Math.min(policy.maxDelayMs, Math.max(backoff, serverDelay ?? 0));
}

/** Retry-After holds seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const raw = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
