/**
 * Deadlines that hold over real HTTP: Wait Timeout, the batch stop and the execution cancel end
 * the wait on time even when status reads hang or are rate limited, though n8n's request helper
 * never lets our signal abort those requests.
 */
import { errorDescription, expectCancelled, fixtureUrl, ownProcess, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

const creates = () => simulator().requestsTo('create');

/** Time from the (last) create request to the end of the run. */
async function timedRun(options: Parameters<typeof runSpark>[1]) {
	const result = await runSpark(simulator(), options);
	const ended = Date.now();
	return { result, sinceCreateMs: ended - creates()[creates().length - 1].at };
}

// The Wait Timeout, and what a run may take beyond it (a hung read alone would take a minute).
const WAIT_MS = 1000;
const SLACK_MS = 1000;

const waitOneSecond = (onTimeout: 'error' | 'returnItem') => ({
	operation: 'createAndWait',
	imageUrl: fixtureUrl(simulator()),
	// Request Timeout 60 s and Max Retries 4: one hung read alone could take minutes.
	options: { waitTimeout: WAIT_MS / 1000, pollInterval: 0.5, onTimeout },
});

describe('Wait Timeout is a hard deadline', () => {
	it.each([['error' as const], ['returnItem' as const]])('with status reads that hang (On Timeout: %s)', async (onTimeout) => {
		simulator().injectFault({ route: 'status', kind: 'hang', times: Infinity });
		const { result, sinceCreateMs } = await timedRun({ parameters: waitOneSecond(onTimeout) });
		expect(sinceCreateMs).toBeLessThan(WAIT_MS + SLACK_MS);
		const taskId = creates()[0].taskId;
		if (onTimeout === 'error') {
			expect(result.error?.message).toContain(`Task ${taskId} was still processing`);
			// A hung read never failed: nothing to explain.
			expect(errorDescription(result)).not.toContain('had not succeeded');
		} else {
			expect(result.items[0].json).toMatchObject({ taskId, status: 'timeout' });
		}
	});

	it('with status reads rate limited for 30 s at a time', async () => {
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 429, retryAfterSeconds: 30, times: Infinity });
		// A process of its own: the 30 s pause holds every request of a process to this API, the next tests' too.
		const { result, sinceCreateMs } = await timedRun({ parameters: waitOneSecond('error'), node: ownProcess() });
		expect(sinceCreateMs).toBeLessThan(WAIT_MS + SLACK_MS);
		expect(result.error?.message).toContain(`Task ${creates()[0].taskId} was still`);
		expect(errorDescription(result)).toContain('The last status read had not succeeded (HTTP 429)');
	});

	it('with status reads that keep failing, the returned item says why', async () => {
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 502, times: Infinity });
		const { result, sinceCreateMs } = await timedRun({ parameters: { ...waitOneSecond('returnItem'), options: { ...waitOneSecond('returnItem').options, maxRetries: 10 } } });
		expect(sinceCreateMs).toBeLessThan(WAIT_MS + SLACK_MS);
		expect(result.items[0].json).toMatchObject({ taskId: creates()[0].taskId, status: 'timeout', lastReadError: 'HTTP 502' });
	});
});

describe('a batch stop ends every wait at once', () => {
	it('when one item fails, the others\' hung reads are abandoned and their tasks named', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010003' });
		const run = runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { maxParallel: 3, pollInterval: 0.3 } },
			inputItems: [{}, {}, {}],
		});
		// Once all three are created, every status read hangs except item 0's, which sees the failure.
		while (creates().length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
		const [failing, ...others] = creates().map((request) => request.taskId as string);
		for (const taskId of others) simulator().injectFault({ route: 'status', kind: 'hang', taskId, times: Infinity });
		const result = await run;
		// The read that saw the failure is the failing task's last one.
		const failedAt = simulator().requestsTo('status').filter((request) => request.taskId === failing).at(-1)!.at;
		expect(result.error?.message).toContain(`Task ${failing} failed`);
		expect(Date.now() - failedAt).toBeLessThan(1000);
		const description = errorDescription(result);
		for (const [index, taskId] of others.entries()) expect(description).toContain(`item ${index + 1}: ${taskId}`);
	});

	it('does not wait for another item\'s unanswered create, and says a task may exist for it', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010003' });
		// The second create is processed (a task exists) but never answered.
		simulator().injectFault({ route: 'create', kind: 'hang', process: true, after: 1 });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { maxParallel: 2, pollInterval: 0.3 } },
			inputItems: [{}, {}],
		});
		const [failing] = creates().map((request) => request.taskId as string);
		const failedAt = simulator().requestsTo('status').filter((request) => request.taskId === failing).at(-1)!.at;
		expect(Date.now() - failedAt).toBeLessThan(1000);
		expect(result.error?.message).toContain(`Task ${failing} failed`);
		expect(errorDescription(result)).toContain('item 1: a task whose create request was still unanswered');
	});

	it('the editor\'s Stop ends a wait on a hung read within a second', async () => {
		simulator().injectFault({ route: 'status', kind: 'hang', times: Infinity });
		const started = Date.now();
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { pollInterval: 0.3 } },
			abortAfterMs: 1000,
		});
		expect(Date.now() - started).toBeLessThan(1000 + 1000);
		// n8n records either its own cancellation or the node's "cancelled" error, whichever lands first.
		expectCancelled(result);
	});
});

describe('Wait Timeout bounds the whole item: checking the input, creating, polling, downloading', () => {
	// Request Timeout stays at 60 s: only Wait Timeout can end these on time.
	const editWithin = (waitTimeout: number, options: Record<string, unknown> = {}) => ({
		operation: 'createAndWait',
		imageUrl: fixtureUrl(simulator()),
		options: { waitTimeout, pollInterval: 0.2, ...options },
	});

	it('a create answered 429 again and again: the item ends at the Wait Timeout, saying no task was created', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 429, retryAfterSeconds: 3, times: Infinity });
		const { result, sinceCreateMs } = await timedRun({ parameters: editWithin(1), abortAfterMs: 30_000 });
		expect(sinceCreateMs).toBeLessThan(1000 + SLACK_MS);
		expect(result.error?.message).toBe('Wait Timeout (1 s) ran out before the Vtrix API accepted the task');
		expect(errorDescription(result)).toContain('The last create request had not succeeded (HTTP 429)');
		expect(errorDescription(result)).toContain('No task was created, so nothing was billed');
	});

	it('Check Image First on a trickled Image URL: the item ends at the Wait Timeout', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'trickle', intervalMs: 500, times: Infinity });
		const result = await runSpark(simulator(), { parameters: editWithin(1, { checkImage: true }), abortAfterMs: 30_000 });
		expect(Date.now() - simulator().requestsTo('fixture')[0].at).toBeLessThan(1000 + SLACK_MS);
		expect(result.error?.message).toBe('Wait Timeout (1 s) ran out before the Vtrix API accepted the task');
		expect(creates()).toHaveLength(0);
	});

	it.each([['error' as const], ['returnItem' as const]])('a trickled result download: the item ends at the Wait Timeout, with the task id (On Timeout: %s)', async (onTimeout) => {
		simulator().injectFault({ route: 'download', kind: 'trickle', intervalMs: 500, times: Infinity });
		// Long enough for the simulator's image work on a busy machine; the download then trickles.
		const { result, sinceCreateMs } = await timedRun({ parameters: editWithin(6, { onTimeout }), abortAfterMs: 30_000 });
		expect(sinceCreateMs).toBeLessThan(6000 + SLACK_MS);
		expect(simulator().requestsTo('download')).toHaveLength(1);
		const taskId = creates()[0].taskId;
		if (onTimeout === 'error') {
			expect(result.error?.message).toBe(`Task ${taskId} completed, but its image was not downloaded within Wait Timeout (6 s)`);
			expect(errorDescription(result)).toContain(`Task ID: ${taskId}`);
		} else {
			expect(result.items[0].json).toMatchObject({ taskId, status: 'timeout', lastStatus: 'completed' });
			expect(result.items[0].binary).toBeUndefined();
		}
	});
});
