/**
 * Shared pacing over real HTTP: executions of one process share a request budget for the API
 * (announced limits, Retry-After) and the task times they learned; progress times the next read.
 * Each case runs beside the same case with shared pacing off (the node's test seam), which must differ.
 * Every simulator here has its own port, so its own origin: nothing learned leaks between them. The
 * node and the simulator share virtual time (loopbackClock.ts), which stands still while a request is
 * on the wire: what is measured is the pacing's logic, however busy the machine.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { RecordedRequest, SimulatorHandle, SimulatorOptions } from '../simulator';
import type { FakeClock } from '../support/fakeClock';
import { loopbackClock, type LoopbackClock } from '../support/loopbackClock';
import { fixtureUrl, runSpark, useFreshSimulators } from '../support/sparkRun';
import { latencyBoundMs } from '../support/taskTimes';

jest.setTimeout(60_000);

const freshSimulator = useFreshSimulators();
const timelines: LoopbackClock[] = [];
afterAll(() => timelines.forEach((timeline) => timeline.dispose()));

interface Api {
	sim: SimulatorHandle;
	/** One clock per API, as one n8n process has one (what the node learns is kept per clock). */
	clock: FakeClock;
}

async function virtualApi(options: SimulatorOptions): Promise<Api> {
	let timeline: LoopbackClock | undefined;
	const sim = await freshSimulator({ ...options, now: () => timeline?.now() ?? 0 });
	timeline = loopbackClock(() => sim);
	timelines.push(timeline);
	return { sim, clock: timeline.clock };
}

async function editPortraits({ sim, clock }: Api, shared: boolean, items: number, options: INodeParameters, size = 512) {
	const result = await runSpark(sim, {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(sim), width: size, height: size, options: { downloadImage: false, ...options } },
		inputItems: Array.from({ length: items }, () => ({})),
		node: { clock, sharedPacing: shared },
	});
	expect(result.error).toBeUndefined();
	return result;
}

const apiRequests = (sim: SimulatorHandle): RecordedRequest[] => sim.requests.filter((request) => request.route === 'create' || request.route === 'status');

describe.each([true, false])('shared pacing %s', (shared) => {
	it(shared ? 'two executions at once keep, together, to the limit the API announced' : 'two executions at once exceed the announced limit', async () => {
		const api = await virtualApi({ taskDurationMs: 600, rateLimitPerSecond: 8, rateLimitHeaders: 'x-ratelimit' });
		// The process learns the limit from the headers of its first answers.
		await editPortraits(api, shared, 1, {});
		api.sim.reset();
		await Promise.all([editPortraits(api, shared, 6, { maxParallel: 6 }), editPortraits(api, shared, 6, { maxParallel: 6 })]);
		const limited = apiRequests(api.sim).filter((request) => request.statusCode === 429);
		// Without the shared budget the same runs draw a 429 for every request over the limit.
		if (shared) expect(limited).toHaveLength(0);
		else expect(limited.length).toBeGreaterThan(2);
	});

	it(shared ? 'a 429\'s Retry-After holds the other execution\'s reads too' : 'a 429 holds only the request it answered', async () => {
		const api = await virtualApi({ taskDurationMs: 4000, progressShape: 'none' });
		api.sim.injectFault({ route: 'status', kind: 'http', statusCode: 429, retryAfterSeconds: 2, after: 6 });
		await Promise.all([editPortraits(api, shared, 1, {}, 768), editPortraits(api, shared, 1, {}, 768)]);
		const limited = apiRequests(api.sim).find((request) => request.statusCode === 429);
		if (!limited) throw new Error('the 429 was never sent');
		const duringPause = apiRequests(api.sim).filter((request) => request.at > limited.at && request.at < limited.at + 2000);
		if (shared) expect(duringPause).toHaveLength(0);
		else expect(duringPause.length).toBeGreaterThan(0);
	});

	it(shared ? 'a second execution reads first just before the task time the first one learned' : 'a second execution reads as early as the first', async () => {
		const api = await virtualApi({ taskDurationMs: 2000, progressShape: 'none' });
		await editPortraits(api, shared, 3, { maxParallel: 3 }, 640);
		api.sim.reset();
		await editPortraits(api, shared, 3, { maxParallel: 3 }, 640);
		const firstReads = api.sim.requestsTo('create').map((create) => {
			const read = api.sim.requestsTo('status').find((request) => request.taskId === create.taskId);
			return (read?.at ?? Infinity) - create.at;
		});
		if (shared) firstReads.forEach((gap) => expect(gap).toBeGreaterThan(1000));
		else firstReads.forEach((gap) => expect(gap).toBeLessThan(1000));
	});

	it(shared ? 'even progress: a 3 s task read a few times, seen within the bound' : 'even progress is not used', async () => {
		const api = await virtualApi({ taskDurationMs: 3000, pendingFraction: 0, progressShape: 'linear' });
		const result = await editPortraits(api, shared, 1, {}, 896);
		const reads = api.sim.requestsTo('status');
		const task = api.sim.task(String(result.items[0].json.taskId));
		if (!task?.finishedAt) throw new Error('the task did not finish');
		const lag = (reads.find((read) => read.at >= (task.finishedAt ?? 0))?.at ?? Infinity) - task.finishedAt;
		if (shared) {
			expect(reads.length).toBeLessThanOrEqual(5);
			expect(lag).toBeLessThanOrEqual(latencyBoundMs(3000) + 100);
		} else {
			expect(reads.length).toBeGreaterThanOrEqual(8);
		}
	});
});
