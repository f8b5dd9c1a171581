/**
 * Issue 28 part 10: messages speak of the task's real state, the host that really failed, and
 * what the server asked for. A result download fails after the task completed: the error says
 * so (not "the task may still finish"); a result host is named as itself, not as the Vtrix API;
 * a wait cut short by Wait Timeout says how long the API asked to wait.
 */
import { errorDescription, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const results = useTestSimulator();
// The API's pause holds every request of the process to its origin: each case has a simulator (an origin) of its own.
const paused5 = useTestSimulator();
const paused3600 = useTestSimulator();
let simulator = results;
const edit = (options: Record<string, unknown> = {}) => ({ operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { pollInterval: 0.2, ...options } });
const taskIdOf = () => simulator().requestsTo('create')[0].taskId;
const completedHint = (taskId: string | undefined) =>
	`Task ID: ${taskId}. The task has completed; only its image was not downloaded. Get Task Status with this Task ID reads it again (with a fresh result URL) without creating a new task.`;

describe('a result download that fails names the task as completed', () => {
	it('a result that answers 404', async () => {
		simulator().injectFault({ route: 'download', kind: 'http', statusCode: 404, times: Infinity });
		const result = await runSpark(simulator(), { parameters: edit() });
		expect(result.error?.message).toBe('The result image is no longer available (404)');
		expect(errorDescription(result)).toBe(`Result URLs can expire. ${completedHint(taskIdOf())}`);
	});

	it('a result stopped at Max Result Size', async () => {
		simulator().injectFault({ route: 'download', kind: 'gzipBomb', inflatedBytes: 3 * 1024 * 1024 });
		const result = await runSpark(simulator(), { parameters: edit({ maxResultSize: 1 }) });
		expect(result.error?.message).toBe('The result image is larger than Max Result Size (1 MB); the download was stopped');
		expect(errorDescription(result)).toBe(`Raise Max Result Size if the result really is that large, or turn Download Image off and fetch the imageUrl another way. ${completedHint(taskIdOf())}`);
	});

	it('a result trickled past Request Timeout on every try names the result host, which answered, not the Vtrix API', async () => {
		simulator().injectFault({ route: 'download', kind: 'trickle', intervalMs: 500, times: Infinity });
		const result = await runSpark(simulator(), { parameters: edit({ requestTimeout: 1, maxRetries: 1 }), abortAfterMs: 20_000 });
		expect(result.error?.message).toBe(`The result image host (127.0.0.1:${simulator().port}) did not deliver the image`);
		expect(errorDescription(result)).toBe(`Each of 2 attempts ended with: no complete answer within the Request Timeout (1 s). If the host is slow, raise Request Timeout. ${completedHint(taskIdOf())}`);
		expect(errorDescription(result)).not.toMatch(/Vtrix API|may still finish/);
	});

	it('a result host that rate limits is named as itself', async () => {
		simulator().injectFault({ route: 'download', kind: 'http', statusCode: 429, times: Infinity });
		const result = await runSpark(simulator(), { parameters: edit({ maxRetries: 0 }) });
		expect(result.error?.message).toBe(`The result image host (127.0.0.1:${simulator().port}) answered 429 to the download request`);
		expect(errorDescription(result)).toBe(`1 attempt(s) were made. ${completedHint(taskIdOf())}`);
	});
});

describe('a wait cut short says what the server asked for', () => {
	it('Edit Portrait, Wait Timeout 2 s, every create answered 429 with Retry-After 5: the API asked for 5 s', async () => {
		simulator = paused5;
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 429, retryAfterSeconds: 5, times: Infinity });
		const started = Date.now();
		const result = await runSpark(simulator(), { parameters: edit({ waitTimeout: 2 }), abortAfterMs: 20_000 });
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(result.error?.message).toBe('Wait Timeout (2 s) ran out before the Vtrix API accepted the task');
		expect(errorDescription(result)).toContain('The last create request had not succeeded (HTTP 429; the server asked to wait 5 s before the next request).');
	});

	// Past the longest pause a request waits (issue 28 part 2), the message itself names what was asked.
	it('Retry-After 3600: the item ends at once, saying the API asked for an hour', async () => {
		simulator = paused3600;
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 429, retryAfterSeconds: 3600, times: Infinity });
		const result = await runSpark(simulator(), { parameters: edit({ waitTimeout: 8 }), abortAfterMs: 20_000 });
		expect(result.error?.message).toBe('The Vtrix API asked this n8n process to pause its requests for 1 hour; the create request waits at most 5 minutes');
		expect(errorDescription(result)).toContain('The last create request had not succeeded (HTTP 429).');
	});
});
