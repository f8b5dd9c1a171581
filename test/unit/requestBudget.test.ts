/**
 * The process's request budget on the fake clock: what the API says about its limit (headers,
 * Retry-After, a 429 that came anyway) decides when each request may go, and in what order.
 */
import { parseRateLimitHeaders } from '../../nodes/SparkPortrait/transport/headers';
import { FORGET_AFTER_MS } from '../../nodes/SparkPortrait/transport/expiringCache';
import { budgetFor, FIRST_BURST, MAX_SERVER_PAUSE_MS, PRIORITY, RequestBudget } from '../../nodes/SparkPortrait/transport/requestBudget';
import { FakeClock } from '../support/fakeClock';
import { CancelledError } from '../../nodes/SparkPortrait/errors/failures';
import { realClock } from '../../nodes/SparkPortrait/transport/clock';

/** Sends `count` requests as fast as the budget lets them, each answered at once with `headers`; returns the send times. */
async function sendAll(budget: RequestBudget, clock: FakeClock, count: number, headers: Record<string, string> = {}): Promise<number[]> {
	const sent: number[] = [];
	await Promise.all(Array.from({ length: count }, async () => {
		await budget.take(PRIORITY.read);
		sent.push(clock.now());
		budget.observe(200, headers);
	}));
	return sent;
}

/** The most sends within any window of `windowMs`. */
function busiestWindow(sent: number[], windowMs: number): number {
	return Math.max(...sent.map((start) => sent.filter((at) => at >= start && at < start + windowMs).length));
}

describe('parseRateLimitHeaders', () => {
	it.each([
		[{ 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1' }, { limit: 20, remaining: 3, resetMs: 1000 }],
		[{ 'ratelimit-limit': '20', 'ratelimit-remaining': '0', 'ratelimit-reset': '2', 'ratelimit-policy': '20;w=1' }, { limit: 20, remaining: 0, resetMs: 2000, windowMs: 1000 }],
		[{ 'ratelimit-limit': '100, 100;w=60' }, { limit: 100, windowMs: 60_000 }],
		[{ 'x-ratelimit-reset': String(1_700_000_030) }, { resetMs: 30_000 }],
		[{ 'retry-after': '1' }, {}],
	])('reads %j', (headers, expected) => {
		expect(parseRateLimitHeaders(headers, 1_700_000_000_000)).toEqual(expected);
	});
});

describe('RequestBudget', () => {
	it('from a cold start, sends a first burst of 15, then half as many again each window spent whole without a 429', async () => {
		const clock = new FakeClock();
		const sent = await sendAll(new RequestBudget(clock), clock, 40);
		expect(FIRST_BURST).toBe(15);
		const inWindow = (at: number) => sent.filter((time) => time === at).length;
		// Counted over 1.1 windows: the budget works this limit out itself.
		expect([inWindow(0), inWindow(1100), inWindow(2200)]).toEqual([15, 23, 2]);
	});

	it('never sends more than the announced limit in any window', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(200, { 'x-ratelimit-limit': '5' });
		const sent = await sendAll(budget, clock, 23, { 'x-ratelimit-limit': '5' });
		expect(busiestWindow(sent, 1000)).toBe(5);
		// Paced, not paused: 23 requests at 5 per (slightly more than) a second.
		expect(Math.max(...sent)).toBeGreaterThanOrEqual(4000);
		expect(Math.max(...sent)).toBeLessThan(4500);
	});

	it('holds every request until a 429\'s Retry-After has passed', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		await budget.take(PRIORITY.create);
		budget.observe(429, { 'retry-after': '3' });
		const sent = await sendAll(budget, clock, 4);
		expect(Math.min(...sent)).toBe(3000);
		// The limit the 429 met (the first burst) less the one request refused.
		expect(budget.limit).toBe(14);
	});

	it('holds a pause the server asks for at most five minutes, and remembers what it asked', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999' });
		expect(budget.askedPauseMs).toBe(99_999_999_000);
		const sent = await sendAll(budget, clock, 2);
		expect(MAX_SERVER_PAUSE_MS).toBe(300_000);
		expect(sent).toEqual([300_000, 300_000]);
		budget.observe(429, { 'retry-after': '99999999999' });
		expect(budget.askedPauseMs).toBe(99_999_999_999_000);
		expect(Math.min(...(await sendAll(budget, clock, 1)))).toBe(600_000);
	});

	it('stops waiting for a pause once the last request waiting for it gives up: no timer outlives it', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(429, { 'retry-after': '60' });
		const controller = new AbortController();
		const taken = budget.take(PRIORITY.read, controller.signal);
		await Promise.resolve();
		expect(clock.pendingTimers).toBe(1);
		controller.abort();
		await expect(taken).rejects.toBeInstanceOf(CancelledError);
		await new Promise((resolve) => setImmediate(resolve));
		expect(clock.pendingTimers).toBe(0);
		expect(clock.now()).toBe(0);
	});

	it('keeps a billion requests per three years at its rate (10 a second) without keeping every send time', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		const headers = { 'x-ratelimit-limit': '1000000000;w=99999999' };
		budget.observe(200, headers);
		const sent = await sendAll(budget, clock, 2500, headers);
		// 1,000 sends per 1,000 / 1e9 of the window (105 s with the margin): the first thousand at once, then a thousand per 105 s.
		expect(sent.filter((at) => at === 0)).toHaveLength(1000);
		expect(busiestWindow(sent, 104_000)).toBe(1000);
		expect(Math.max(...sent)).toBeCloseTo(210_000, -1);
	});

	it('pauses at Remaining: 0 until the Reset', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(200, { 'ratelimit-remaining': '0', 'ratelimit-reset': '2' });
		const sent = await sendAll(budget, clock, 2);
		expect(sent).toEqual([2000, 2000]);
	});

	it('caps at the limit a 429 met less what that window refused, and holds the cap for the next wave', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		await sendAll(budget, clock, FIRST_BURST);
		// Two of the first burst refused: two off the fifteen it met.
		budget.observe(429, {});
		budget.observe(429, {});
		expect(budget.limit).toBe(13);
		const wave = await sendAll(budget, clock, 80);
		expect(Math.min(...wave)).toBeGreaterThanOrEqual(1000);
		expect(busiestWindow(wave, 1000)).toBe(13);
		expect(budget.limit).toBe(13);
		// Thirty windows spent whole at the cap without a 429: one more.
		await sendAll(budget, clock, 13 * 25);
		expect(budget.limit).toBe(14);
	});

	it('does not grow the cap back while the process is idle: the next burst keeps to what was learned', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		await sendAll(budget, clock, FIRST_BURST);
		budget.observe(429, {});
		budget.observe(429, {});
		await clock.sleep(60_000);
		expect(budget.limit).toBe(13);
		const burst = await sendAll(budget, clock, 20);
		expect(burst.filter((at) => at === burst[0])).toHaveLength(13);
	});

	it('lets creates, then reads of likely finished tasks, go first when requests wait', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(200, { 'x-ratelimit-limit': '1' });
		await budget.take(PRIORITY.read);
		const order: string[] = [];
		const take = async (name: string, priority: number) => {
			await budget.take(priority);
			order.push(name);
		};
		await Promise.all([take('read 1', PRIORITY.read), take('likely done', PRIORITY.likelyDone), take('read 2', PRIORITY.read), take('create', PRIORITY.create)]);
		expect(order).toEqual(['create', 'likely done', 'read 1', 'read 2']);
	});

	it('lets a cancelled request leave the queue', async () => {
		const clock = new FakeClock();
		const budget = new RequestBudget(clock);
		budget.observe(429, { 'retry-after': '5' });
		const controller = new AbortController();
		const waiting = budget.take(PRIORITY.read, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		expect(budget.busy).toBe(false);
	});
});

describe('budgetFor', () => {
	it('gives one budget per origin and clock, and forgets an idle one', async () => {
		const clock = new FakeClock();
		const budget = budgetFor('https://cloud.vtrix.ai', clock);
		expect(budgetFor('https://cloud.vtrix.ai', clock)).toBe(budget);
		expect(budgetFor('https://other.example', clock)).not.toBe(budget);
		expect(budgetFor('https://cloud.vtrix.ai', new FakeClock())).not.toBe(budget);
		await clock.sleep(FORGET_AFTER_MS + 1);
		expect(budgetFor('https://cloud.vtrix.ai', clock)).not.toBe(budget);
	});
});

describe('RequestBudget timers', () => {
	it('leaves no timer behind once the last waiting request has gone (a 5-minute pause holds no process open)', async () => {
		const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
		const before = activeTimers();
		const budget = new RequestBudget(realClock);
		budget.observe(429, { 'retry-after': '300' });
		const controller = new AbortController();
		const waiting = budget.take(PRIORITY.read, controller.signal);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(activeTimers()).toBe(before + 1);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		await new Promise((resolve) => setImmediate(resolve));
		expect(activeTimers()).toBe(before);
	});
});
