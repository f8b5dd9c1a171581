/**
 * Issue 28 part 4: staging requests get the Request Timeout as a wall-clock limit, a capped
 * answer and the cancel signal, as API requests do; a cleanup DELETE after a cancel has a short
 * bound of its own and, when it does not finish, the error names the key left behind. The bucket
 * here serves every request but trickles its answer one byte every 0.5 s, for good.
 */
import sharp from 'sharp';

import type { SimulatorHandle } from '../simulator';
import type { S3ServerHandle } from '../support/s3Server';
import { errorDescription } from '../support/sparkRun';
import { runBinaryInput, useStagingServers, type BinaryRun } from '../support/stagingRun';

jest.setTimeout(60_000);

const servers = useStagingServers();
let sim: SimulatorHandle;
let s3: S3ServerHandle;
let jpeg: Buffer;

beforeAll(async () => {
	({ sim, s3 } = servers);
	jpeg = await sharp({ create: { width: 320, height: 400, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg().toBuffer();
});

/** A run that would otherwise hang is stopped here; the runs below must end long before. */
const STOP_MS = 30_000;

async function timed(options: BinaryRun) {
	const started = Date.now();
	const result = await runBinaryInput(sim, s3, jpeg, { abortAfterMs: STOP_MS, ...options });
	return { result, seconds: (Date.now() - started) / 1000 };
}

describe('a bucket that trickles its answers (1 byte / 0.5 s, endless), Request Timeout 2 s', () => {
	beforeEach(() => s3.trickleAnswers('*'));

	it('Create Task: the PUT ends at the Request Timeout on each try', async () => {
		const { result, seconds } = await timed({ parameters: { operation: 'create', options: { requestTimeout: 2, maxRetries: 0 } } });
		expect(result.error?.message).toBe('Could not reach the staging bucket (upload)');
		expect(errorDescription(result)).toContain('no complete answer within the Request Timeout (2 s)');
		expect(sim.requestsTo('create')).toHaveLength(0);
		// One 2 s try and a cleanup DELETE bounded by the same 2 s; far from the 30 s stop.
		expect(seconds).toBeLessThan(STOP_MS / 1000 / 2);
	});

	it('Edit Portrait with Wait Timeout 2 s ends with its deadline, the cleanup DELETE on a bound of its own that names the key', async () => {
		const { result, seconds } = await timed({ parameters: { options: { requestTimeout: 2, waitTimeout: 2 } } });
		expect(result.error?.message).toBe('Wait Timeout (2 s) ran out before the Vtrix API accepted the task');
		expect(seconds).toBeLessThan(STOP_MS / 1000 / 2);
	});

	it('a cancel at 2 s stops the upload at once; the DELETE that follows is bounded, and the error names the key it left', async () => {
		const started = Date.now();
		const result = await runBinaryInput(sim, s3, jpeg, { parameters: { options: { requestTimeout: 5, waitTimeout: 60 } }, abortAfterMs: 2000 });
		const seconds = (Date.now() - started) / 1000;
		expect(result.error?.message).toBe('The execution was cancelled');
		expect(sim.requestsTo('create')).toHaveLength(0);
		// Cancel at 2 s, then at most the 5 s cleanup bound.
		expect(seconds).toBeLessThan(STOP_MS / 1000 / 2);
		expect(errorDescription(result)).toMatch(/The staged image \S+\/spark-portrait\/[0-9a-f]{32}\.jpg could not be deleted: Could not reach the staging bucket \(delete\)\. no complete answer within 5 s/);
	});
});

describe('a bucket whose DELETE answers trickle', () => {
	it('the DELETE after the task ends gives up at the Request Timeout, and the item names the key left behind', async () => {
		s3.trickleAnswers('DELETE');
		const { result, seconds } = await timed({ parameters: { options: { requestTimeout: 2 } }, continueOnFail: true });
		const json = result.items[0].json;
		expect(json.status).toBe('completed');
		expect(json.stagedImage).toMatchObject({ deleted: false, key: expect.stringMatching(/^spark-portrait\//) });
		expect(String((json.stagedImage as { deleteError?: unknown }).deleteError)).toContain('no complete answer within 2 s');
		expect(seconds).toBeLessThan(STOP_MS / 1000 / 2);
	});
});
