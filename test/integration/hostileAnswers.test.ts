/**
 * Issue 28 part 1: once an answer names a task id, nothing may throw before that id is in the run
 * ledger. A create answered 2xx with an id and one odd field (a `created_at` past what a Date
 * holds) used to throw after the task existed: the error named no task, Create Task deleted the
 * staged image, and Retry On Fail paid for the task again on every try. Now a bad optional field
 * is dropped and said in the output's notes.
 */
import sharp from 'sharp';

import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';
import { runBinaryInput, useStagingServers } from '../support/stagingRun';

jest.setTimeout(60_000);

const retry = { maxTries: 3, waitBetweenTries: 10 };

describe('a create answer with an odd field, under Retry On Fail (3 tries)', () => {
	const simulator = useTestSimulator();

	it.each([[9e15], [1e300], [-1e300], ['99999-12-31T00:00:00Z']])('created_at %j: one task, its id in the output, the field dropped and said', async (createdAt) => {
		simulator().injectFault({ route: 'create', kind: 'extend', fields: { created_at: createdAt }, times: Infinity });
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) }, retryOnFail: retry });
		const creates = simulator().requestsTo('create').map((request) => request.taskId);
		expect(creates).toHaveLength(1);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ taskId: creates[0], status: 'processing', notes: [expect.stringMatching(/^created_at .* is not a time; left out$/)] });
		expect(result.items[0].json).not.toHaveProperty('createdAt');
	});

	it('Edit Portrait with every answer odd (create and status reads): one task, the edited image, the notes', async () => {
		simulator().injectFault({ route: 'any', kind: 'extend', fields: { created_at: 9e15, progress: 'x'.repeat(50), usage: [] }, times: Infinity });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { pollInterval: 0.2 } }, retryOnFail: retry });
		expect(simulator().requestsTo('create').map((request) => request.taskId)).toHaveLength(1);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'completed', notes: expect.arrayContaining([expect.stringMatching(/^created_at /), expect.stringMatching(/^usage /)]) });
		expect(result.items[0].binary?.data).toBeDefined();
	});

	it('a create answer whose status the node does not know: the task is kept as pending, and said', async () => {
		simulator().injectFault({ route: 'create', kind: 'extend', fields: { status: 'constructor' }, times: Infinity });
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) }, retryOnFail: retry });
		expect(simulator().requestsTo('create').map((request) => request.taskId)).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ taskId: simulator().requestsTo('create')[0].taskId, status: 'pending', notes: ['status "constructor" is not a status the node knows; taken as pending: read the task with Get Task Status'] });
	});
});

/**
 * Issue 28 part 6: what is kept of an answer (in the output, and between Retry On Fail tries in the
 * process-wide resume registry) is bounded, and the cut is said. The heap it pins is measured by
 * `npm run bench:resume`.
 */
describe('a status answer of about 1 MB that the node passes through', () => {
	const simulator = useTestSimulator();

	it('metadata of 250,000 {} objects and 50 KB texts: the output keeps at most 16 KB of metadata and 1000 characters per text, and says so', async () => {
		const long = 'x'.repeat(50_000);
		const fields = { metadata: { list: Array.from({ length: 250_000 }, () => ({})) }, usage: { cost: long }, output: [{ content: [{ url: '/cdn/never-downloaded.jpg', type: long }] }] };
		simulator().injectFault({ route: 'status', kind: 'extend', fields, times: Infinity });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { downloadImage: false, pollInterval: 0.2 } } });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(JSON.stringify(json.metadata).length).toBeLessThan(17 * 1024);
		expect((json.metadata as { list: unknown[] }).list).toHaveLength(100);
		expect(json.usage).toEqual({ cost: `${'x'.repeat(1000)}…` });
		expect(json.images).toEqual([expect.objectContaining({ type: `${'x'.repeat(1000)}…` })]);
		expect(json.notes).toEqual([
			'output image type was cut to 1000 characters',
			'usage.cost was cut to 1000 characters',
			'metadata was cut to what the node keeps: 5 levels, 100 entries per level, 1000 characters per text, 16 KB in all',
		]);
	});
});

describe('the same with a binary input image', () => {
	const servers = useStagingServers();

	it('Create Task keeps the staged image its task reads, and creates one task', async () => {
		const jpeg = await sharp({ create: { width: 320, height: 400, channels: 3, background: { r: 40, g: 40, b: 200 } } }).jpeg().toBuffer();
		servers.sim.injectFault({ route: 'create', kind: 'extend', fields: { created_at: 9e15 }, times: Infinity });
		const result = await runBinaryInput(servers.sim, servers.s3, jpeg, { parameters: { operation: 'create' }, retryOnFail: retry });
		expect(servers.sim.requestsTo('create').map((request) => request.taskId)).toHaveLength(1);
		expect(result.error).toBeUndefined();
		expect(servers.s3.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
		expect(await servers.s3.objectKeys()).toEqual([(result.items[0].json.stagedImage as { key: string }).key]);
	});
});

/**
 * A task that completes with no result URL has nothing to download: the item fails, names the
 * task as completed, and n8n's retries read that task again rather than pay for a new one.
 */
describe('a completed task whose answer holds no image URL', () => {
	const simulator = useTestSimulator();

	it.each([
		['an empty output', []],
		['an entry with no content', [{ content: [] }]],
		['content with no url', [{ content: [{ type: 'image' }] }]],
	])('%s: the item fails naming the completed task, and 3 tries create one task', async (_shape, output) => {
		simulator().injectFault({ route: 'status', kind: 'extend', fields: { output }, times: Infinity });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { pollInterval: 0.2 } }, retryOnFail: retry });
		const creates = simulator().requestsTo('create').map((request) => request.taskId);
		expect(creates).toHaveLength(1);
		const error = result.error as Error & { description?: string; context?: { taskId?: string } };
		expect(error.message).toBe(`Task ${creates[0]} completed but the response holds no image URL`);
		expect(error.description).toContain(`Task ID: ${creates[0]}. The task has completed;`);
		expect(error.context?.taskId).toBe(creates[0]);
	});
});
