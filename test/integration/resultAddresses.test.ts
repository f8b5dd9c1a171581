/**
 * Issue 28 part 3: a result download follows Check Image First's rule, judged against the Base
 * URL: every hop checked, link-local and metadata addresses never fetched, loopback and private
 * ones only when the Base URL is itself one; and a result that is not an image (by its first
 * bytes) is an error naming the task and its result URL, not a saved file.
 *
 * A public Base URL is a made-up name (test/support/publicName.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

import { usePublicName } from '../support/publicName';
import { API_KEY, errorDescription, everyText, fixtureUrl, runSpark, settledTask, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

afterEach(async () => {
	for (const create of simulator().requestsTo('create')) if (create.taskId) await settledTask(simulator(), create.taskId);
});

const PUBLIC_NAME = usePublicName('api.public-gateway.invalid');

const publicBase = () => ({ apiKey: API_KEY, baseUrl: `http://${PUBLIC_NAME}:${simulator().port}` });
/** The result the test points at: a real image the simulator serves, which no task uses as its input. */
const RESULT_PATH = '/fixtures/portrait.png';
const resultFetches = () => simulator().requests.filter((request) => request.path === RESULT_PATH).length;

/** Every status read answers "completed" with this result URL. */
function completedWith(url: string): void {
	simulator().injectFault({ route: 'status', kind: 'http', statusCode: 200, times: Infinity, body: { status: 'completed', output: [{ content: [{ url }] }] } });
}

const SMALL = { width: 512, height: 512 };
const edit = (): INodeParameters => ({ operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...SMALL, options: { pollInterval: 0.2, maxRetries: 0, requestTimeout: 3 } });
const getStatus = (taskId: string): INodeParameters => ({ operation: 'getStatus', taskId, options: { maxRetries: 0, requestTimeout: 3 } });

async function createdTaskId(): Promise<string> {
	const created = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), ...SMALL } });
	return String(created.items[0].json.taskId);
}

describe('with a public Base URL', () => {
	it('Edit Portrait does not fetch a result at http://2130706433:PORT/ (127.0.0.1 written as one number)', async () => {
		completedWith(`http://2130706433:${simulator().port}${RESULT_PATH}`);
		const result = await runSpark(simulator(), { parameters: edit(), credential: publicBase() });
		expect(result.error?.message).toBe(`The node did not download the result URL's host (127.0.0.1:${simulator().port}): a loopback address, reached from a public Base URL`);
		expect(errorDescription(result)).toContain('Task ID: ');
		expect(resultFetches()).toBe(0);
	});

	it('Get Task Status does not follow a CDN hop that redirects to http://[::ffff:7f00:1]:PORT/', async () => {
		const taskId = await createdTaskId();
		completedWith(`http://${PUBLIC_NAME}:${simulator().port}/cdn/${taskId}/result.jpg`);
		simulator().injectFault({ route: 'download', kind: 'redirect', statusCode: 302, location: `http://[::ffff:7f00:1]:${simulator().port}${RESULT_PATH}` });
		const result = await runSpark(simulator(), { parameters: getStatus(taskId), credential: publicBase() });
		expect(result.error?.message).toBe(`The node did not download a redirect from the result URL to [::ffff:7f00:1]:${simulator().port}: a loopback address, reached from a public Base URL`);
		expect(errorDescription(result)).toContain(`Task ID: ${taskId}`);
		expect(simulator().requestsTo('download')).toHaveLength(1);
		expect(resultFetches()).toBe(0);
	});
});

describe('with a loopback Base URL (a local gateway, the simulator)', () => {
	it('a loopback result is fetched', async () => {
		const taskId = await createdTaskId();
		completedWith(`http://2130706433:${simulator().port}${RESULT_PATH}`);
		const result = await runSpark(simulator(), { parameters: getStatus(taskId) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.mimeType).toBe('image/png');
		expect(resultFetches()).toBe(1);
	});

	it('a link-local (metadata) result is never fetched', async () => {
		const taskId = await createdTaskId();
		completedWith('http://169.254.169.254/latest/meta-data/');
		const result = await runSpark(simulator(), { parameters: getStatus(taskId) });
		expect(result.error?.message).toBe('The node did not download the result URL\'s host (169.254.169.254): a cloud metadata address');
	});

	it.each(['getStatus', 'createAndWait'])('%s: a result that is not an image (an internal JSON answer) is an error naming the task and its URL, none of the body', async (operation) => {
		const taskId = operation === 'getStatus' ? await createdTaskId() : undefined;
		const internal = `${simulator().url}/__sim/requests`;
		completedWith(internal);
		const result = await runSpark(simulator(), { parameters: taskId ? getStatus(taskId) : edit() });
		const id = String(result.error && (result.error as Error & { context?: { taskId?: unknown } }).context?.taskId);
		expect(result.error?.message).toBe(`Task ${id} completed, but its result is not an image (it was sent as application/json); it was not saved`);
		expect(errorDescription(result)).toContain(`The result URL is ${internal}.`);
		expect(result.items).toHaveLength(0);
		// The JSON the internal URL answered (the recorded requests, with their headers) is nowhere.
		expect(everyText(result)).not.toContain('"route"');
	});
});
