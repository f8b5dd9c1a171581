/**
 * Check Image First fetches the user's Image URL as a request of its own: its failures name that
 * URL's host (never the API key or Get Task Status), and its body is read no further than 5 MB + 1
 * byte. Result downloads that answer 401/403 say the result URL refused access.
 */
import type { RunNodeResult } from '../harness';
import { FastClock } from '../support/fastClock';
import { errorDescription as description, everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

const GIGABYTE = 1024 ** 3;
const host = () => `127.0.0.1:${simulator().port}`;

async function checkFirst(imageUrl: string, operation = 'createAndWait') {
	// The one retry's back-off is asked for in full and lasts a fiftieth of it.
	return await runSpark(simulator(), { parameters: { operation, imageUrl, options: { checkImage: true, maxRetries: 1 } }, node: { clock: new FastClock() } });
}

function expectNothingBilled(result: RunNodeResult) {
	expect(simulator().requestsTo('create')).toHaveLength(0);
	expect(description(result)).toContain('Nothing was sent to the Vtrix API, so nothing was billed');
	// What the input URL did is no problem of the task or of the key.
	expect(everyText(result)).not.toMatch(/Get Task Status|API key|result image/i);
}

describe('an Image URL that fails', () => {
	it.each<[number, string]>([
		[404, 'The Image URL answered 404: HOST has no such image'],
		[410, 'The Image URL answered 410: HOST has no such image'],
		[401, 'The Image URL answered 401: HOST refused access to the input image'],
		[403, 'The Image URL answered 403: HOST refused access to the input image'],
		[400, 'The Image URL answered 400 (HOST)'],
	])('answering %i: says so, names the host, creates nothing', async (statusCode, expected) => {
		simulator().injectFault({ route: 'fixture', kind: 'http', statusCode });
		const result = await checkFirst(fixtureUrl(simulator()));
		expect(result.error?.message).toBe(expected.replace('HOST', host()));
		expectNothingBilled(result);
		expect(simulator().requestsTo('fixture')).toHaveLength(1);
	});

	it('answering 503 is retried like any safe read, then reported as the image host\'s problem', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'http', statusCode: 503, times: 5 });
		const result = await checkFirst(fixtureUrl(simulator()));
		expect(result.error?.message).toBe(`The Image URL answered 503 (${host()})`);
		expect(simulator().requestsTo('fixture')).toHaveLength(2);
		expectNothingBilled(result);
	});

	it('that drops the connection: "Could not fetch the Image URL", with the host', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'drop', times: 5 });
		const result = await checkFirst(fixtureUrl(simulator()));
		expect(result.error?.message).toBe(`Could not fetch the Image URL (${host()})`);
		expectNothingBilled(result);
	});

	it('in Create Task too', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'http', statusCode: 404 });
		const result = await checkFirst(fixtureUrl(simulator()), 'create');
		expect(result.error?.message).toContain('The Image URL answered 404');
		expectNothingBilled(result);
	});
});

describe('a huge Image URL is never read whole', () => {
	it('1 GB with a Content-Length: refused from the header, before reading', async () => {
		const result = await checkFirst(`${simulator().url}/fixtures/endless/${GIGABYTE}.jpg`);
		expect(result.error?.message).toBe('Image URL (image_input) points to a 1024 MB file; the API accepts at most 5 MB');
		expectNothingBilled(result);
	});

	it('1 GB without a Content-Length: reading stops past 5 MB', async () => {
		const before = process.memoryUsage().rss;
		const result = await checkFirst(`${simulator().url}/fixtures/endless-chunked/${GIGABYTE}.jpg`);
		expect(result.error?.message).toBe('Image URL (image_input) points to a file larger than 5 MB; the API accepts at most 5 MB');
		expectNothingBilled(result);
		// Had the body been read whole, this process would hold a gigabyte more.
		expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
	});

	it('a body that stalls mid-way ends with the Request Timeout, not a hung run', async () => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'create', imageUrl: `${simulator().url}/fixtures/endless-stalled/4000000.jpg`, options: { checkImage: true, requestTimeout: 2, maxRetries: 0 } },
		});
		expect(result.error?.message).toBe(`Could not fetch the Image URL (${host()})`);
		expectNothingBilled(result);
	});

	it('exactly 5 MB is read whole and then checked as an image', async () => {
		const result = await checkFirst(`${simulator().url}/fixtures/endless-chunked/${5 * 1024 * 1024}.jpg`);
		expect(result.error?.message).toBe('Image URL (image_input) points to a JPEG file whose size cannot be read');
	});
});

describe('a result URL that refuses access', () => {
	it.each([401, 403])('answering %i: says the result URL refused access and how to get a fresh one', async (statusCode) => {
		simulator().injectFault({ route: 'download', kind: 'http', statusCode });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		const taskId = simulator().requestsTo('create')[0].taskId as string;
		expect(result.error?.message).toBe(`The result URL refused access (${statusCode}); signed result URLs expire`);
		expect(description(result)).toContain('Get Task Status for a fresh result URL');
		expect(description(result)).toContain(`Task ID: ${taskId}`);
		expect(everyText(result)).not.toMatch(/API key/i);
	});
});
