/**
 * Reading response headers: the one way to read one, and what an answer says about its rate limit.
 * Two rate-limit families are in use: the older `X-RateLimit-Limit / -Remaining / -Reset` and the
 * IETF draft's `RateLimit-Limit / -Remaining / -Reset` (with `RateLimit-Policy: 20;w=1` naming the
 * window). Reset is read as seconds from now, or as a Unix time when it is larger than any window
 * (the GitHub form).
 */

/** n8n's helpers hand a repeated header over as an array (the first one counts here) and some values as numbers. */
export function headerText(value: unknown): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first).trim() : undefined;
}

export interface RateLimitInfo {
	limit?: number;
	/** Requests left in the current window, as the server counted when it answered. */
	remaining?: number;
	resetMs?: number;
	windowMs?: number;
}

/** A Reset above this many seconds is a Unix time, not a delay: no window is three years long. */
const UNIX_TIME_THRESHOLD_S = 100_000_000;

/** The first number of a header (a list like `20, 20;w=1` gives 20), or undefined. */
function leadingNumber(text: string | undefined): number | undefined {
	const match = text === undefined ? null : /^\s*(\d+(?:\.\d+)?)/.exec(text);
	return match ? Number(match[1]) : undefined;
}

function windowOf(text: string | undefined): number | undefined {
	const match = text === undefined ? null : /;\s*w\s*=\s*(\d+(?:\.\d+)?)/.exec(text);
	return match ? Number(match[1]) * 1000 : undefined;
}

export function parseRateLimitHeaders(headers: Record<string, unknown>, nowMs: number): RateLimitInfo {
	const info: RateLimitInfo = {};
	for (const prefix of ['ratelimit-', 'x-ratelimit-']) {
		const limitText = headerText(headers[`${prefix}limit`]);
		info.limit ??= leadingNumber(limitText);
		info.windowMs ??= windowOf(limitText);
		info.remaining ??= leadingNumber(headerText(headers[`${prefix}remaining`]));
		const reset = leadingNumber(headerText(headers[`${prefix}reset`]));
		if (reset !== undefined) info.resetMs ??= reset > UNIX_TIME_THRESHOLD_S ? Math.max(0, reset * 1000 - nowMs) : reset * 1000;
	}
	info.windowMs ??= windowOf(headerText(headers['ratelimit-policy']));
	return info;
}
