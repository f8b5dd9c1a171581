import type { RateLimiter } from './rateLimiter';
import type { ResolvedOptions } from './types';

/**
 * The rate-limit headers a gateway adds to API answers while a limit is on: none, the older
 * `X-RateLimit-*` family, or the IETF draft's `RateLimit-*` with `RateLimit-Policy` naming the
 * one-second window. Reset is whole seconds until a request leaves the window (rounded up).
 */
export function rateLimitHeaders(limiter: RateLimiter, options: ResolvedOptions): Record<string, string> {
	const limit = options.rateLimitPerSecond;
	if (limit <= 0 || options.rateLimitHeaders === 'none') return {};
	const { remaining, resetMs } = limiter.window(limit, options.now());
	const reset = String(Math.ceil(resetMs / 1000));
	if (options.rateLimitHeaders === 'x-ratelimit') {
		return { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset': reset };
	}
	return { 'RateLimit-Limit': String(limit), 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': reset, 'RateLimit-Policy': `${limit};w=1` };
}
