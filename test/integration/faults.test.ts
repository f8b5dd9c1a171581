/**
 * The fault matrix: each fault the simulator can inject, what the node makes of it, how many
 * create requests reached the API (never more than intended), and that the task id survives.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { FaultSpec, TaskOutcome } from '../simulator';
import { loopbackClock, type LoopbackClock } from '../support/loopbackClock';
import { API_KEY, everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';
import type { RunNodeResult } from '../harness';

jest.setTimeout(90_000);

/**
 * Virtual time shared by the node and the simulator (loopbackClock.ts), a new one for each test: every
 * back-off and Retry-After is waited in full at no cost, and nothing one test's run learned (a pause,
 * a task time) is carried into the next. A hung request holds that time still until the request
 * timeout, a real timer, ends it.
 */
let timeline: LoopbackClock | undefined;
const simulator = useTestSimulator({ now: () => timeline?.now() ?? 0 });
beforeEach(() => {
	timeline = loopbackClock(simulator);
	// Short tasks: what is checked is each fault's outcome, not how long a task runs.
	simulator().configure({ taskDurationMs: 150 });
});
afterEach(() => {
	timeline?.dispose();
});

const creates = () => simulator().requestsTo('create').length;
/** Tasks the simulator really created (a create it answered, or processed before misbehaving). */
const tasksCreated = () => new Set(simulator().requestsTo('create').map((r) => r.taskId).filter(Boolean)).size;
// The smallest size: the simulator's image work is beside the point here and would slow the next test.
const SMALL = { width: 512, height: 512 };
const description = (result: RunNodeResult) => String((result.error as Error & { description?: unknown })?.description ?? '');

async function editPortrait(options: INodeParameters = {}, outcome?: TaskOutcome, ...faults: FaultSpec[]) {
	if (outcome) simulator().setNextTaskOutcomes(outcome);
	for (const fault of faults) simulator().injectFault(fault);
	const clock = timeline!.clock;
	const result = await runSpark(simulator(), {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...SMALL, options: { requestTimeout: 2, ...options } },
		node: { clock },
	});
	// Whatever happened, the key is never in an output, an error or the run data.
	expect(everyText(result)).not.toContain(API_KEY);
	// And no request to the image host carries it.
	for (const r of [...simulator().requestsTo('download'), ...simulator().requestsTo('fixture')]) expect(r.headers.authorization).toBeUndefined();
	return { ...result, waits: clock.sleeps };
}

function expectCompleted(result: RunNodeResult) {
	expect(result.error).toBeUndefined();
	expect(result.items[0].json).toMatchObject({ status: 'completed', taskId: expect.any(String) });
}

describe('faults the node recovers from', () => {
	it.each<[string, FaultSpec]>([
		['a 429 storm with Retry-After on create', { route: 'create', kind: 'http', statusCode: 429, retryAfterSeconds: 1, times: 3 }],
		['503 with Retry-After on create', { route: 'create', kind: 'http', statusCode: 503, retryAfterSeconds: 1, times: 1 }],
		['a 429 storm with Retry-After on status', { route: 'status', kind: 'http', statusCode: 429, retryAfterSeconds: 1, times: 4 }],
		['a burst of 500 on status', { route: 'status', kind: 'http', statusCode: 500, times: 3 }],
		['a burst of 502 on status', { route: 'status', kind: 'http', statusCode: 502, times: 3 }],
		['a burst of 503 on status', { route: 'status', kind: 'http', statusCode: 503, times: 3 }],
		['a connection reset during status', { route: 'status', kind: 'drop', times: 2 }],
		['malformed JSON on status', { route: 'status', kind: 'malformed', times: 2 }],
		['a status response slower than the request timeout', { route: 'status', kind: 'hang', times: 1 }],
		['a burst of 502 on download', { route: 'download', kind: 'http', statusCode: 502, times: 2 }],
		['a connection reset during download', { route: 'download', kind: 'drop', times: 1 }],
		['a slow download within the request timeout', { route: 'download', kind: 'delay', delayMs: 800, times: 1 }],
	])('%s: completes, with exactly one task created', async (_name, fault) => {
		const result = await editPortrait({}, undefined, fault);
		expectCompleted(result);
		if (fault.retryAfterSeconds) expect(Math.max(...result.waits)).toBeGreaterThanOrEqual(fault.retryAfterSeconds * 1000);
		expect(tasksCreated()).toBe(1);
		if (fault.route === 'create') expect(creates()).toBe((fault.times ?? 1) + 1);
		else expect(creates()).toBe(1);
	});
});

describe('faults that end the item', () => {
	it.each<[string, FaultSpec]>([
		['500 on create', { route: 'create', kind: 'http', statusCode: 500 }],
		['502 on create', { route: 'create', kind: 'http', statusCode: 502 }],
		['503 without Retry-After on create', { route: 'create', kind: 'http', statusCode: 503 }],
	])('%s: fails at once; the create is not repeated', async (_name, fault) => {
		const result = await editPortrait({}, undefined, fault);
		expect(result.error?.message).toContain(`answered ${fault.statusCode} to the create request`);
		expect(creates()).toBe(1);
		expect(tasksCreated()).toBe(0);
	});

	it.each<[string, FaultSpec, string]>([
		['a connection reset during create', { route: 'create', kind: 'drop', process: true }, 'Could not reach the Vtrix API'],
		['a create response slower than the request timeout', { route: 'create', kind: 'hang', process: true }, 'Could not reach the Vtrix API'],
		['malformed JSON from create', { route: 'create', kind: 'malformed', process: true }, 'not JSON'],
	])('%s: fails without a second paid task and says to check before running again', async (_name, fault, message) => {
		const result = await editPortrait({}, undefined, fault);
		expect(result.error?.message).toContain(message);
		expect(description(result)).toContain('check your Vtrix account');
		expect(creates()).toBe(1);
		expect(tasksCreated()).toBe(1);
	});

	it('a task stuck in processing: the timeout error names the task id', async () => {
		const result = await editPortrait({ waitTimeout: 1 }, { kind: 'never' });
		const taskId = simulator().requestsTo('status')[0].taskId as string;
		expect(result.error?.message).toContain(taskId);
		expect(description(result)).toContain('Get Task Status');
		expect(creates()).toBe(1);
	});

	it('a result URL that 404s: the error names the task id', async () => {
		const result = await editPortrait({}, undefined, { route: 'download', kind: 'http', statusCode: 404 });
		expect(result.error?.message).toContain('result image is no longer available');
		expect(description(result)).toContain(`Task ID: ${simulator().requestsTo('status')[0].taskId}`);
		expect(simulator().requestsTo('download')).toHaveLength(1);
	});

	it('status errors beyond the retry budget: the error names the task id', async () => {
		const result = await editPortrait({ maxRetries: 1 }, undefined, { route: 'status', kind: 'http', statusCode: 500, times: 5 });
		const taskId = simulator().requestsTo('status')[0].taskId as string;
		expect(result.error?.message).toContain('answered 500 to the status request');
		expect(description(result)).toContain(`Task ID: ${taskId}`);
		expect(simulator().requestsTo('status')).toHaveLength(2);
	});

	it.each([
		['003010001', 'Missing image input'],
		['003010002', 'Invalid parameter'],
		['003010003', 'Invalid image format, only JPG/JPEG/PNG supported'],
		['003010095', 'Internal generation error'],
		['003010096', 'Result parsing error'],
		['003010097', 'HTTP error response'],
		['003010098', 'Status check error'],
		['003010099', 'Task creation error'],
	])('a task failing with %s is reported with the code, its meaning and the task id', async (code, title) => {
		const result = await editPortrait({}, { kind: 'fail', code });
		const taskId = simulator().requestsTo('status')[0].taskId as string;
		expect(result.error?.message).toContain(`Task ${taskId} failed. Vtrix API error ${code}: ${title}`);
		expect(description(result)).toContain(`Task ID: ${taskId}`);
		expect(creates()).toBe(1);
	});
});

describe('Resubmit on Server Error', () => {
	it('creates the task again after a server-side failure and says how many attempts it took', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'fail', code: '003010099' }, { kind: 'complete' });
		const result = await editPortrait({ resubmitOnServerError: 2 });
		expectCompleted(result);
		expect(result.items[0].json).toMatchObject({ attempts: 3, previousTaskIds: [expect.any(String), expect.any(String)] });
		expect(creates()).toBe(3);
	});

	it('gives up after the bound and reports the attempts', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'fail', code: '003010095' });
		const result = await editPortrait({ resubmitOnServerError: 1 });
		expect(result.error?.message).toContain('003010095');
		expect(description(result)).toContain('created 2 times');
		expect(creates()).toBe(2);
	});

	it('never resubmits a failure caused by the input', async () => {
		const result = await editPortrait({ resubmitOnServerError: 3 }, { kind: 'fail', code: '003010003' });
		expect(result.error?.message).toContain('003010003');
		expect(creates()).toBe(1);
	});

	it('is off by default', async () => {
		const result = await editPortrait({}, { kind: 'fail', code: '003010095' });
		expect(result.error?.message).toContain('003010095');
		expect(creates()).toBe(1);
	});
});

describe('Continue On Fail keeps the task id', () => {
	it('in the error item of a timed-out task, next to the items that succeeded', async () => {
		simulator().setNextTaskOutcomes({ kind: 'complete' }, { kind: 'never' }, { kind: 'complete' });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...SMALL, options: { waitTimeout: 1, maxParallel: 1, downloadImage: false } },
			inputItems: [{}, {}, {}],
			continueOnFail: true,
			node: { clock: timeline!.clock },
		});
		expect(result.items.map((item) => item.json.status ?? 'error')).toEqual(['completed', 'error', 'completed']);
		expect(result.items[1].json).toMatchObject({ taskId: expect.any(String), error: expect.stringContaining('was still processing') });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('names the other items\' tasks when one item stops the run', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'never' });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...SMALL, options: { maxParallel: 2 } },
			inputItems: [{}, {}],
			node: { clock: timeline!.clock },
		});
		const ids = simulator().requestsTo('create').map((r) => r.taskId as string);
		expect(result.error?.message).toContain(ids[0]);
		expect(description(result)).toContain(`item 1: ${ids[1]}`);
	});
});
