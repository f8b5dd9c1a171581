/**
 * n8n's Retry On Fail runs the whole node again, through n8n-core's WorkflowExecute: the node must
 * pick up the tasks its earlier try created (and the results it never delivered) instead of
 * paying for them again.
 */
import { resumeRegistry } from '../../nodes/SparkPortrait/run/resume';
import { FastClock } from '../support/fastClock';
import { credentialFor, fixtureUrl, runSpark, useTestSimulator, type SparkRunOptions } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

// Back-offs and poll gaps at a tenth: what is timed here is tries and tasks, not waits.
const run = (options: SparkRunOptions) => runSpark(simulator(), { ...options, node: { clock: new FastClock(10) } });

const retry = { maxTries: 3, waitBetweenTries: 10 };
const creates = () => simulator().requestsTo('create');
const edit = (options: Record<string, unknown> = {}) => ({
	operation: 'createAndWait',
	imageUrl: fixtureUrl(simulator()),
	options: { maxRetries: 1, ...options },
});

describe('Retry On Fail resumes instead of re-creating', () => {
	it.each([['vtrixClient'], ['flat']])('after a status outage longer than the node\'s own retries: one create, resumed on the second try (Request Format %s)', async (requestFormat) => {
		simulator().configure({ acceptFormats: 'both' });
		// Max Retries 1: two reads per try; the third failing read lands on the second try.
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 500, times: 3 });
		const result = await run({ parameters: edit(), retryOnFail: retry, credential: credentialFor(simulator(), { requestFormat }) });
		expect(result.error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ taskId: creates()[0].taskId, status: 'completed', resumed: true, tries: 2 });
		expect(result.items[0].binary?.data).toBeDefined();
		expect(resumeRegistry.size).toBe(0);
	});

	it('picks up the completed but undelivered result of another item, and re-creates only the failed task', async () => {
		// Item 0 completes, item 1's task fails and stops the run before item 2 starts.
		simulator().setNextTaskOutcomes({ kind: 'complete' }, { kind: 'fail', code: '003010003' });
		const result = await run({
			parameters: edit({ maxParallel: 1 }),
			inputItems: [{}, {}, {}],
			retryOnFail: retry,
		});
		expect(result.error).toBeUndefined();
		const ids = creates().map((request) => request.taskId);
		expect(ids).toHaveLength(4);
		expect(result.items.map((item) => item.json.taskId)).toEqual([ids[0], ids[2], ids[3]]);
		expect(result.items.map((item) => item.json.resumed ?? false)).toEqual([true, false, false]);
		expect(result.items.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		// The resumed item's completed state was kept: no status read, only the download again.
		const item0 = simulator().requests.filter((request) => request.taskId === ids[0] || request.taskId === ids[1]);
		expect(item0.map((request) => (request.taskId === ids[0] ? request.route : `item 1 ${request.route}`)).filter((route, index, all) => route !== all[index - 1]))
			.toEqual(['create', 'status', 'download', 'item 1 create', 'item 1 status', 'download']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	});

	it('waits for a create that was still unanswered when the run stopped, rather than sending it again', async () => {
		// Item 0's task fails fast and stops the run while item 1's create is still on its way.
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010003' });
		simulator().injectFault({ route: 'create', kind: 'delay', delayMs: 1500, after: 1 });
		const result = await run({
			parameters: edit({ maxParallel: 2, pollInterval: 0.2, downloadImage: false }),
			inputItems: [{}, {}],
			retryOnFail: retry,
		});
		expect(result.error).toBeUndefined();
		const ids = creates().map((request) => request.taskId);
		expect(ids).toHaveLength(3);
		expect(result.items[1].json).toMatchObject({ taskId: ids[1], status: 'completed', resumed: true, tries: 2 });
		expect(result.items[0].json).toMatchObject({ taskId: ids[2], status: 'completed' });
	});

	it('resumes a task whose wait timed out, rather than starting it again', async () => {
		simulator().setNextTaskOutcomes({ kind: 'never' });
		const result = await run({ parameters: edit({ waitTimeout: 1 }), retryOnFail: { maxTries: 2, waitBetweenTries: 10 } });
		expect(result.error?.message).toContain(`Task ${creates()[0].taskId} was still processing`);
		expect(creates()).toHaveLength(1);
	});

	it('with Continue On Fail, where n8n retries because the first item is an error item', async () => {
		simulator().setNextTaskOutcomes({ kind: 'never' }, { kind: 'complete' });
		// Item 0 must time out; item 1 only has to finish at some try, and its task finishes when the
		// simulator's image work does, which a busy machine can slow past a second. One at a time, so
		// the outcomes go to the items in order.
		const result = await run({
			parameters: edit({ waitTimeout: '={{ $json.waitSeconds }}', downloadImage: false, maxParallel: 1 }),
			inputItems: [{ waitSeconds: 1 }, { waitSeconds: 30 }],
			continueOnFail: true,
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(creates()).toHaveLength(2);
		expect(result.items[0].json).toMatchObject({ taskId: creates()[0].taskId, error: expect.stringContaining('was still processing') });
		expect(result.items[1].json).toMatchObject({ taskId: creates()[1].taskId, status: 'completed', resumed: true, tries: 2 });
	});

	it('a Create Task retried after another item failed returns the task it already created', async () => {
		// The second create is refused, which fails the run after item 0 had its task.
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, after: 1 });
		const result = await run({
			parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), options: { maxParallel: 1 } },
			inputItems: [{}, {}],
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error).toBeUndefined();
		const accepted = creates().filter((request) => request.statusCode === 200).map((request) => request.taskId);
		expect(creates()).toHaveLength(3);
		expect(accepted).toHaveLength(2);
		expect(result.items.map((item) => item.json.taskId)).toEqual(accepted);
		expect(result.items.map((item) => item.json.resumed ?? false)).toEqual([true, false]);
	});

	it('never hands a task to another execution', async () => {
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 500, times: Infinity });
		const first = await run({ parameters: edit(), retryOnFail: { maxTries: 2, waitBetweenTries: 10 } });
		expect(first.error).toBeDefined();
		expect(creates()).toHaveLength(1);
		simulator().reset();
		const second = await run({ parameters: edit(), retryOnFail: { maxTries: 2, waitBetweenTries: 10 } });
		expect(second.error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		expect(second.items[0].json.resumed).toBeUndefined();
	});
});
