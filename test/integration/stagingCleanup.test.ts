/**
 * Issue 20 parts 6 and 7: nothing staged is left in the bucket without a name, and nothing is
 * written outside the Key Prefix. Through the node over real HTTP: the simulator as the API, a
 * SigV4-checking S3 server on loopback as the bucket.
 */
import sharp from 'sharp';
import type { IDataObject } from 'n8n-workflow';

import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';
import { testCredential } from '../harness';
import type { SimulatorHandle } from '../simulator';
import { stagingCredentialOf, type S3ServerHandle } from '../support/s3Server';
import { errorDescription, expectCancelled } from '../support/sparkRun';
import { runBinaryInput, useStagingServers, type BinaryRun } from '../support/stagingRun';

jest.setTimeout(60_000);

const servers = useStagingServers();
let sim: SimulatorHandle;
let s3: S3ServerHandle;
let jpeg: Buffer;

beforeAll(async () => {
	({ sim, s3 } = servers);
	jpeg = await sharp({ create: { width: 320, height: 400, channels: 3, background: { r: 200, g: 40, b: 40 } } }).jpeg().toBuffer();
});

const run = (options: BinaryRun = {}) => runBinaryInput(sim, s3, jpeg, options);
const creates = () => sim.requestsTo('create');
const STAGED_KEY = /spark-portrait\/[0-9a-f]{32}\.jpg/;

/** The cleanup of a cancelled run may finish after n8n has reported the cancel. */
async function bucketEmptied(limitMs = 10_000): Promise<string[]> {
	const deadline = Date.now() + limitMs;
	let keys = await s3.objectKeys();
	while (keys.length > 0 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		keys = await s3.objectKeys();
	}
	return keys;
}

describe('an upload the node gave up on (issue 20 part 6)', () => {
	it('a PUT the bucket stored but answered after Request Timeout: the object is deleted and the error names its key', async () => {
		s3.delayAnswers('PUT', 3000);
		const result = await run({ parameters: { options: { requestTimeout: 1, maxRetries: 0 } } });
		expect(result.error).toBeDefined();
		const text = `${result.error?.message} ${errorDescription(result)}`;
		const [key] = STAGED_KEY.exec(text) ?? [];
		expect(key).toBeDefined();
		expect(s3.requests.map((r) => [r.method, r.path])).toEqual([
			['PUT', `/${s3.bucket}/${key}`],
			['DELETE', `/${s3.bucket}/${key}`],
		]);
		expect(await s3.objectKeys()).toEqual([]);
		expect(creates()).toEqual([]);
	});

	it('a PUT cut off by a cancelled run: the object is deleted', async () => {
		s3.delayAnswers('PUT', 5000);
		const result = await run({ abortAfterMs: 1500 });
		expectCancelled(result);
		expect(await bucketEmptied()).toEqual([]);
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
		expect(creates()).toEqual([]);
	});
});

describe('Create Task from binary data under Retry On Fail (issue 20 part 6)', () => {
	it('the resumed item still names its staged image: key, link and expiry', async () => {
		// Item 1's create is refused: the run fails after item 0's task exists, and n8n runs the node again.
		sim.injectFault({ route: 'create', kind: 'http', statusCode: 400, after: 1 });
		const result = await run({
			parameters: { operation: 'create', options: { maxParallel: 1, imageLinkExpiry: 30 } },
			items: [{}, {}],
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error).toBeUndefined();
		const [first, second] = result.items.map((item) => item.json);
		expect(first).toMatchObject({ taskId: creates()[0].taskId, resumed: true });
		const staged = first.stagedImage as IDataObject;
		expect(staged).toMatchObject({
			bucket: s3.bucket,
			key: expect.stringMatching(STAGED_KEY),
			deleted: false,
			url: (creates()[0].fields as IDataObject).image_input,
			urlExpiresAt: expect.any(String),
		});
		// The link's expiry as the first try computed it: 30 minutes after its signing.
		const signedAt = new URL(staged.url as string).searchParams.get('X-Amz-Date') ?? '';
		const signed = Date.parse(signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
		expect(Math.abs(Date.parse(staged.urlExpiresAt as string) - (signed + 30 * 60_000))).toBeLessThan(2000);
		expect(second).toMatchObject({ taskId: creates()[2].taskId, stagedImage: { deleted: false } });
		expect((await s3.objectKeys()).sort()).toEqual([staged.key, (second.stagedImage as IDataObject).key].sort());
	});
});

describe('Key Prefix stays inside the bucket folder it names (issue 20 part 7)', () => {
	const badPrefixes = ['../victim/', 'photos/../../victim/', './photos/', 'photos//n8n/', 'photos/./'];

	it.each(badPrefixes)('the node refuses %j before any upload or task', async (keyPrefix) => {
		const result = await run({ staging: stagingCredentialOf(s3, { keyPrefix }) });
		expect(result.error?.message).toMatch(/^Key Prefix /);
		expect(result.error?.message).toContain('"." or ".."');
		expect(s3.requests).toEqual([]);
		expect(creates()).toEqual([]);
	});

	it.each(badPrefixes)('the credential test refuses %j without a request', async (keyPrefix) => {
		const outcome = await testCredential(new SparkPortraitS3StagingApi(), stagingCredentialOf(s3, { keyPrefix }));
		expect(outcome).toEqual({ status: 'Error', message: expect.stringMatching(/^Key Prefix .*"\." or "\.\."/) });
		expect(s3.requests).toEqual([]);
	});

	it('a prefix with dots inside its names is fine', async () => {
		const result = await run({ parameters: { operation: 'create' }, staging: stagingCredentialOf(s3, { keyPrefix: 'team.photos/v1..2/' }) });
		expect(result.error).toBeUndefined();
		expect((result.items[0].json.stagedImage as IDataObject).key).toMatch(/^team\.photos\/v1\.\.2\/[0-9a-f]{32}\.jpg$/);
	});
});
