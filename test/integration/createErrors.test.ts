/**
 * A create the API refuses, in every body shape the parser accepts: the code and the server's text
 * reach the user, whatever the HTTP status and wherever the code sits; a 2xx that reports "failed"
 * is a failed create with its code (and id), never "no task id".
 */
import { errorDescription as description, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

async function createAnswered(statusCode: number, body: unknown, operation = 'createAndWait') {
	simulator().injectFault({ route: 'create', kind: 'http', statusCode, body });
	return await runSpark(simulator(), { parameters: { operation, imageUrl: fixtureUrl(simulator()), options: { downloadImage: false } } });
}

const INVALID = 'Vtrix API error 003010002: Invalid parameter (width must be 512-2048)';

describe('a 400 with 003010002 says "Invalid parameter" with the server\'s text', () => {
	it.each<[string, unknown]>([
		['error{code,error_message}', { error: { code: '003010002', error_message: 'width must be 512-2048' } }],
		['data.error', { code: 1, message: 'failed', data: { error: { code: '003010002', error_message: 'width must be 512-2048' } } }],
		['top-level code and message', { code: '003010002', message: 'width must be 512-2048' }],
		['top-level code and msg', { code: '003010002', msg: 'width must be 512-2048' }],
		['a numeric code that lost its zeros', { code: 3010002, msg: 'width must be 512-2048' }],
		['code and message inside data', { data: { code: '003010002', message: 'width must be 512-2048' } }],
	])('%s', async (_shape, body) => {
		const result = await createAnswered(400, body);
		expect(result.error?.message).toBe(INVALID);
		expect(description(result)).toContain('Check the parameters against their ranges');
		expect(simulator().requestsTo('create')).toHaveLength(1);
	});
});

describe('a 2xx create that reports "failed"', () => {
	it.each<[string, unknown]>([
		['status failed with error, no id', { status: 'failed', error: { code: '003010099', error_message: 'queue full' } }],
		['an envelope with a code and no data', { code: '003010099', message: 'queue full', data: null }],
		['an envelope whose data says failed', { code: 0, message: 'ok', data: { status: 'failed', error: { code: '003010099', error_message: 'queue full' } } }],
	])('without an id (%s): a failed create with that code, not "no task id"', async (_shape, body) => {
		const result = await createAnswered(200, body);
		expect(result.error?.message).toBe('Vtrix API error 003010099: Task creation error (queue full)');
		expect(description(result)).toContain('The answer carried no task ID');
		expect(`${result.error?.message} ${description(result)}`).not.toMatch(/no task id \(looked|dashboard/i);
	});

	it.each(['createAndWait', 'create'])('with an id (%s): a failed task with that code and its id', async (operation) => {
		const result = await createAnswered(200, { id: 'task-failed-at-once', status: 'failed', error: { code: '003010099', error_message: 'queue full' } }, operation);
		expect(result.error?.message).toBe('Task task-failed-at-once failed. Vtrix API error 003010099: Task creation error (queue full)');
		expect(description(result)).toContain('Task ID: task-failed-at-once');
		expect(simulator().requestsTo('status')).toHaveLength(0);
	});
});

it('a 2xx create with neither an id nor an error still says it has no task id, and to check before running again', async () => {
	const result = await createAnswered(200, { status: 'pending' });
	expect(result.error?.message).toContain('no task id');
	expect(description(result)).toContain('check your Vtrix account');
});
