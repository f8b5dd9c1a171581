/**
 * Issue 20 part 2: a server that echoes the API key (as it is, or as `Bearer <key>`) in any answer
 * gets it into no output, error, error response or saved run data; an error response keeps only
 * the code and message the node understood.
 */
import { API_KEY, everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

const edit = (options: Record<string, unknown> = {}) => ({ operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { downloadImage: false, ...options } });

/** The error response n8n keeps with the error (saved with the execution). */
function errorResponse(error: Error | undefined): unknown {
	return (error as (Error & { errorResponse?: unknown }) | undefined)?.errorResponse;
}

describe('an answer that echoes the API key', () => {
	it.each([false, true])('a 400 on create whose message holds "Bearer <key>" (Continue On Fail: %s)', async (continueOnFail) => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, body: { error: { code: '003010002', error_message: `header was Bearer ${API_KEY}` } } });
		const result = await runSpark(simulator(), { parameters: edit(), continueOnFail });
		const text = continueOnFail ? JSON.stringify(result.items) : `${result.error?.message}`;
		expect(text).toContain('Bearer [redacted]');
		expect(everyText(result)).not.toContain(API_KEY);
	});

	it('a 401 whose body holds the key elsewhere: a fixed message, and only known fields in the error response', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 401, body: { message: 'no', echoed: { authorization: `Bearer ${API_KEY}` }, [API_KEY]: 1 } });
		const result = await runSpark(simulator(), { parameters: edit() });
		expect(result.error?.message).toContain('rejected the API key (401 Unauthorized)');
		expect(JSON.stringify(errorResponse(result.error) ?? {})).not.toContain('echoed');
		expect(everyText(result)).not.toContain(API_KEY);
	});

	it('a failed task whose error message and metadata hold the key', async () => {
		simulator().injectFault({
			route: 'status',
			kind: 'http',
			statusCode: 200,
			times: Infinity,
			body: { status: 'failed', error: { code: '003010003', error_message: `key ${API_KEY} refused` }, metadata: { request: { headers: { Authorization: `Bearer ${API_KEY}` } } } },
		});
		const result = await runSpark(simulator(), { parameters: edit({ pollInterval: 0.2 }), continueOnFail: true });
		expect(result.items[0].json.error).toContain('key [redacted] refused');
		expect(everyText(result)).not.toContain(API_KEY);
	});

	it('a completed task whose metadata and image URL hold the key, percent-encoded too', async () => {
		simulator().injectFault({
			route: 'status',
			kind: 'http',
			statusCode: 200,
			times: Infinity,
			body: { status: 'completed', output: [{ content: [{ url: `${simulator().url}/cdn/x.jpg?k=${encodeURIComponent(API_KEY)}` }] }], metadata: { echo: API_KEY } },
		});
		const result = await runSpark(simulator(), { parameters: edit({ pollInterval: 0.2 }) });
		expect(result.items[0].json.metadata).toEqual({ echo: '[redacted]' });
		expect(everyText(result)).not.toContain(API_KEY);
		expect(everyText(result)).not.toContain(encodeURIComponent(API_KEY));
	});
});
