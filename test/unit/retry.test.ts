import { parseRetryAfter, retryDelay, retryPolicy } from '../../nodes/SparkPortrait/transport/retry';

const policy = retryPolicy(3);

describe('retryDelay', () => {
	it('retries status reads and downloads on network errors, 429 and 5xx with back-off', () => {
		expect(retryDelay('status', { kind: 'network' }, 0, policy)).toBe(500);
		expect(retryDelay('status', { kind: 'network' }, 1, policy)).toBe(1000);
		expect(retryDelay('download', { kind: 'response', statusCode: 502 }, 2, policy)).toBe(2000);
		expect(retryDelay('status', { kind: 'response', statusCode: 429 }, 0, policy)).toBe(500);
	});

	it('stops when the budget is spent; rate limits have a larger budget of their own', () => {
		expect(retryDelay('status', { kind: 'network' }, 3, policy)).toBeUndefined();
		expect(retryDelay('status', { kind: 'response', statusCode: 429, retryAfterMs: 1000 }, 3, policy)).toBe(4000);
		expect(retryDelay('status', { kind: 'response', statusCode: 429 }, 15, policy)).toBeUndefined();
		expect(retryDelay('status', { kind: 'network' }, 0, retryPolicy(0))).toBeUndefined();
	});

	it('does not retry other client errors', () => {
		expect(retryDelay('status', { kind: 'response', statusCode: 404 }, 0, policy)).toBeUndefined();
		expect(retryDelay('download', { kind: 'response', statusCode: 403 }, 0, policy)).toBeUndefined();
	});

	it('honours Retry-After when it is longer than the back-off, up to the cap', () => {
		expect(retryDelay('status', { kind: 'response', statusCode: 429, retryAfterMs: 3000 }, 0, policy)).toBe(3000);
		expect(retryDelay('status', { kind: 'response', statusCode: 503, retryAfterMs: 120_000 }, 0, policy)).toBe(30_000);
	});

	it('retries a create only where the server said it did not process it', () => {
		expect(retryDelay('create', { kind: 'response', statusCode: 429 }, 0, policy)).toBe(500);
		expect(retryDelay('create', { kind: 'response', statusCode: 503, retryAfterMs: 1000 }, 0, policy)).toBe(1000);
		expect(retryDelay('create', { kind: 'response', statusCode: 503 }, 0, policy)).toBeUndefined();
		expect(retryDelay('create', { kind: 'response', statusCode: 500 }, 0, policy)).toBeUndefined();
		expect(retryDelay('create', { kind: 'response', statusCode: 502 }, 0, policy)).toBeUndefined();
		expect(retryDelay('create', { kind: 'network' }, 0, policy)).toBeUndefined();
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('2', 0)).toBe(2000);
		expect(parseRetryAfter(['1.5'], 0)).toBe(1500);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
	});
	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
	});
});
