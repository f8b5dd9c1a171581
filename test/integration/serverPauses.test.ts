/**
 * Issue 28 part 2: a pause the server asks for (X-RateLimit-Reset with Remaining 0, a 429's
 * Retry-After) is capped at five minutes, no timer ever asks Node for more than it can hold, and an
 * operation without a Wait Timeout (Get Task Status, Create Task) still ends.
 */
import { FakeClock } from '../support/fakeClock';
import { errorDescription, fixtureUrl, ownProcess, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

/** What a gateway says when it means "nothing more for three years" (a Reset read as seconds). */
const THREE_YEARS = { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '99999999' };
const FIVE_MINUTES_MS = 5 * 60_000;

/** A fake clock that starts at today's time, so a Reset read as a Unix time means what it would in production. */
function nowClock(): FakeClock & { startedAt: number } {
	const clock = new FakeClock();
	clock.time = Date.now();
	return Object.assign(clock, { startedAt: clock.time });
}

/** The names of the warnings the process emits while `work` runs. */
async function warningsDuring<T>(work: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
	const warnings: string[] = [];
	const onWarning = (warning: Error) => warnings.push(warning.name);
	process.on('warning', onWarning);
	try {
		return { value: await work(), warnings };
	} finally {
		process.off('warning', onWarning);
	}
}

describe('a server that asks for years', () => {
	it('Edit Portrait (Wait Timeout 8 s) ends at its deadline when every answer says no requests remain for three years, with no timer overflow', async () => {
		simulator().configure({ taskDurationMs: 30_000, answerHeaders: THREE_YEARS });
		const started = Date.now();
		const { value: result, warnings } = await warningsDuring(async () => await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: 512, height: 512, options: { waitTimeout: 8 } },
			// A process of its own: the five-minute pause holds every request of a process to this API.
			node: ownProcess(),
			abortAfterMs: 40_000,
		}));
		const tookMs = Date.now() - started;
		expect(result.error?.message).toMatch(/^Task \S+ was still \w+ after \d s \(Wait Timeout\)$/);
		// The deadline holds (8 s and the last read's grace), not the pause: generous for a busy machine.
		expect(tookMs).toBeLessThan(20_000);
		expect(warnings).not.toContain('TimeoutOverflowWarning');
	});

	it('Get Task Status ends when every status read is a 429 asking for 3,000 years: each pause is capped, the whole wait is bounded', async () => {
		const created = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), width: 512, height: 512 }, node: ownProcess() });
		const taskId = String(created.items[0].json.taskId);
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 429, retryAfterSeconds: 99_999_999_999, times: Infinity });
		// Waits run on a fake clock (they would last minutes); the requests are real.
		const clock = nowClock();
		const result = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId }, node: { clock }, abortAfterMs: 40_000 });
		expect(result.error?.message).toContain('asked');
		expect(errorDescription(result)).toContain(taskId);
		// One pause of at most five minutes, then the request gives up: not 20 pauses of 3,000 years.
		expect(clock.now() - clock.startedAt).toBeLessThanOrEqual(FIVE_MINUTES_MS + 60_000);
		expect(simulator().requestsTo('status').length).toBeLessThanOrEqual(3);
	});

	it('Create Task: a second item after an answer that says "none left for three years" does not wait for years', async () => {
		simulator().configure({ answerHeaders: THREE_YEARS });
		const clock = nowClock();
		const result = await runSpark(simulator(), {
			parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), width: 512, height: 512, options: { maxParallel: 1 } },
			inputItems: [{}, {}],
			continueOnFail: true,
			node: { clock },
			abortAfterMs: 40_000,
		});
		expect(result.items[0].json.taskId).toEqual(expect.any(String));
		expect(clock.now() - clock.startedAt).toBeLessThanOrEqual(FIVE_MINUTES_MS + 60_000);
		expect(simulator().requestsTo('create').length).toBeLessThanOrEqual(2);
	});

	it('a Reset that reads as a past Unix time means no pause', async () => {
		simulator().configure({ answerHeaders: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1000000000' } });
		const clock = nowClock();
		const result = await runSpark(simulator(), {
			parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), width: 512, height: 512, options: { maxParallel: 1 } },
			inputItems: [{}, {}, {}],
			node: { clock },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(clock.now() - clock.startedAt).toBe(0);
	});
});
