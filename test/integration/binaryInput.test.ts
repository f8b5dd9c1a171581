/**
 * Binary input over real HTTP: the node (through n8n-core's WorkflowExecute, its binary data
 * service and request helpers) stages the image in a real S3-compatible server on loopback that
 * checks SigV4 signatures, the simulator fetches it through the presigned URL and edits those
 * bytes, and the object is deleted when the task ends.
 */
import sharp from 'sharp';
import type { IDataObject } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { configureHarness, getBinaryBuffer, runNode } from '../harness';
import { stagingCredentialOf as credentialOf, type S3ServerHandle } from '../support/s3Server';
import { credentialFor, errorDescription, everyText, expectCancelled, settledTask } from '../support/sparkRun';
import { runBinaryInput, useStagingServers, type BinaryRun } from '../support/stagingRun';

jest.setTimeout(60_000);

const servers = useStagingServers();
const simulator = () => servers.sim;
let s3: S3ServerHandle;
let redJpeg: Buffer;

beforeAll(async () => {
	s3 = servers.s3;
	redJpeg = await solid(640, 800, { r: 220, g: 30, b: 30 }).jpeg().toBuffer();
});
afterEach(async () => {
	await configureHarness({ binaryDataMode: 'default' });
});

function solid(width: number, height: number, color: { r: number; g: number; b: number }): sharp.Sharp {
	return sharp({ create: { width, height, channels: 3, background: color } });
}

const stagingCredential = (overrides: IDataObject = {}) => credentialOf(s3, overrides);
const runBinary = (run: BinaryRun = {}) => runBinaryInput(servers.sim, s3, redJpeg, run);

const creates = () => simulator().requestsTo('create');

describe.each(['default', 'filesystem'] as const)('Edit Portrait from binary data (%s binary mode)', (mode) => {
	beforeEach(async () => {
		await configureHarness({ binaryDataMode: mode });
	});

	it('uploads, hands the API a presigned link, edits those bytes, and deletes the object', async () => {
		// The result's pixels are looked at below: the simulator edits the input for real.
		simulator().configure({ imageWork: 'realistic' });
		const result = await runBinary();
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'completed', stagedImage: { bucket: s3.bucket, deleted: true } });
		const key = (item.json.stagedImage as IDataObject).key as string;
		expect(key).toMatch(/^spark-portrait\/[0-9a-f]{32}\.jpg$/);
		expect(item.json.stagedImage).not.toHaveProperty('url');

		// The API got a presigned GET URL of that object, not the bytes and not a public URL.
		const [create] = creates();
		const imageInput = new URL((create.fields as IDataObject).image_input as string);
		expect(`${imageInput.origin}${decodeURIComponent(imageInput.pathname)}`).toBe(`${s3.url}/${s3.bucket}/${key}`);
		expect(imageInput.searchParams.get('X-Amz-Expires')).toBe('900');
		expect(imageInput.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

		// PUT (header-signed), the simulator's GET (presigned), DELETE: all accepted by the server.
		expect(s3.requests.map((r) => [r.method, r.path, r.signedBy, r.status])).toEqual([
			['PUT', `/${s3.bucket}/${key}`, 'header', 200],
			['GET', `/${s3.bucket}/${key}`, 'query', 200],
			['DELETE', `/${s3.bucket}/${key}`, 'header', 204],
		]);
		expect(await s3.objectKeys()).toEqual([]);

		// The simulator edited the red input: the result's centre is red.
		const { data } = await sharp(await getBinaryBuffer(item, 'data')).extract({ left: 600, top: 600, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
		expect(data[0]).toBeGreaterThan(data[2] + 80);
	});
});

describe('Edit Portrait from binary data: the rest', () => {
	it('stages the exact bytes and keeps them, with the link, when Delete Staged Image is off', async () => {
		const png = await solid(300, 400, { r: 10, g: 200, b: 10 }).png().toBuffer();
		const result = await runBinary({
			parameters: { inputBinaryField: 'photo', options: { deleteStagedImage: false, imageLinkExpiry: 30 } },
			files: [{ photo: { data: png, fileName: 'p.png', mimeType: 'image/png' } }],
		});
		expect(result.error).toBeUndefined();
		const staged = result.items[0].json.stagedImage as IDataObject;
		expect(staged).toMatchObject({ deleted: false, key: expect.stringMatching(/\.png$/), url: (creates()[0].fields as IDataObject).image_input });
		expect(new URL(staged.url as string).searchParams.get('X-Amz-Expires')).toBe('1800');
		expect(await s3.objectKeys()).toEqual([staged.key]);
		expect((await s3.objectBytes(staged.key as string)).equals(png)).toBe(true);
		// The link works for anyone who has it, and only unaltered.
		expect((await fetch(staged.url as string)).status).toBe(200);
		expect((await fetch((staged.url as string).replace(/.$/, (c) => (c === '0' ? '1' : '0')))).status).toBe(403);
	});

	it('deletes the object when the task fails', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' });
		const result = await runBinary();
		expect(result.error?.message).toContain('003010095');
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'DELETE']);
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('deletes the object when the wait times out, and when the run is cancelled', async () => {
		// Twice the wait and the cancel: still running at both, and soon settled for the afterEach.
		simulator().configure({ taskDurationMs: 2_000 });
		const timedOut = await runBinary({ parameters: { options: { waitTimeout: 1, onTimeout: 'returnItem' } } });
		expect(timedOut.items[0].json).toMatchObject({ status: 'timeout', stagedImage: { deleted: true } });
		expect(await s3.objectKeys()).toEqual([]);

		await s3.reset();
		const cancelled = await runBinary({ abortAfterMs: 1000 });
		expectCancelled(cancelled);
		expect(s3.requests.map((r) => r.method)).toContain('DELETE');
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('reports an object it could not delete: in the item, and in the error of a failed task', async () => {
		s3.deny('DELETE');
		const done = await runBinary();
		expect(done.error).toBeUndefined();
		const staged = done.items[0].json.stagedImage as IDataObject;
		expect(staged).toMatchObject({ deleted: false, deleteError: expect.stringContaining('403 AccessDenied') });
		expect(await s3.objectKeys()).toEqual([staged.key]);

		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' });
		const failed = await runBinary();
		expect(failed.error?.message).toContain('003010095');
		expect(errorDescription(failed)).toMatch(new RegExp(`The staged image ${s3.bucket}/spark-portrait/[0-9a-f]{32}\\.jpg could not be deleted: .*403 AccessDenied`));
	});

	it('refuses a 6 MB file and a GIF before any upload or task', async () => {
		const big = Buffer.concat([redJpeg, Buffer.alloc(6 * 1024 * 1024)]);
		const gif = await solid(20, 20, { r: 0, g: 0, b: 255 }).gif().toBuffer();
		const result = await runBinary({
			items: [{}, {}],
			files: [
				{ data: { data: redJpeg, fileName: 'ok.jpg', mimeType: 'image/jpeg' } },
				{ data: { data: big, fileName: 'big.jpg', mimeType: 'image/jpeg' } },
			],
		});
		expect(result.error?.message).toBe('Input Binary Field "data" holds a 6 MB file; the API accepts at most 5 MB');
		const gifResult = await runBinary({ files: [{ data: { data: gif, fileName: 'a.gif', mimeType: 'image/gif' } }] });
		expect(gifResult.error?.message).toBe('Input Binary Field "data" holds a GIF image; the API accepts only JPG/JPEG or PNG');
		expect(errorDescription(gifResult)).toContain('nothing was billed');
		expect(s3.requests).toEqual([]);
		expect(creates()).toEqual([]);
	});

	it('names the field when the item has no such binary data', async () => {
		const result = await runBinary({ parameters: { inputBinaryField: 'photo' } });
		expect(result.error?.message).toContain('Input Binary Field "photo" is not in the input item');
		expect(s3.requests).toEqual([]);
		expect(creates()).toEqual([]);
	});

	it('a wrong secret: a clear error, zero create requests, and no secret anywhere', async () => {
		const wrong = 'not-the-secret-Zq81';
		const result = await runBinary({ staging: stagingCredential({ secretAccessKey: wrong }) });
		expect(result.error?.message).toContain('The staging bucket refused the upload (403 SignatureDoesNotMatch)');
		expect(errorDescription(result)).toContain('check the Secret Access Key');
		expect(errorDescription(result)).toContain('No task was created, so nothing was billed.');
		expect(creates()).toEqual([]);
		expect(everyText(result)).not.toContain(wrong);
	});

	it('a bucket that does not exist: a clear error and zero create requests', async () => {
		const result = await runBinary({ staging: stagingCredential({ bucket: 'no-such-bucket' }) });
		expect(result.error?.message).toContain('(404 NoSuchBucket)');
		expect(errorDescription(result)).toContain('check the Bucket name');
		expect(creates()).toEqual([]);
	});

	it('does not follow a redirect from the bucket service (a bucket in another region)', async () => {
		s3.deny('PUT', 301, 'PermanentRedirect');
		const result = await runBinary();
		expect(result.error?.message).toContain('The staging bucket refused the upload (301 PermanentRedirect)');
		expect(errorDescription(result)).toContain('check Region and Endpoint');
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT']);
		expect(creates()).toEqual([]);
	});

	it('a bucket error that echoes the secret: the message keeps the error, not the secret (issue 20 part 2)', async () => {
		s3.deny('PUT', 403, 'AccessDenied', `signed with ${s3.secretAccessKey}`);
		const result = await runBinary();
		expect(result.error?.message).toContain('The staging bucket refused the upload (403 AccessDenied): signed with [redacted]');
		expect(everyText(result)).not.toContain(s3.secretAccessKey);
	});

	it('keeps each secret with its own service', async () => {
		const result = await runBinary({ parameters: { operation: 'create' } });
		expect(result.error).toBeUndefined();
		for (const request of s3.requests) {
			expect(JSON.stringify(request.headers)).not.toContain(simulator().apiKey);
			expect(request.url).not.toContain(encodeURIComponent(s3.secretAccessKey));
		}
		for (const request of simulator().requests) expect(JSON.stringify(request)).not.toContain(s3.secretAccessKey);
		expect(everyText(result)).not.toContain(s3.secretAccessKey);
		expect(everyText(result)).not.toContain(simulator().apiKey);
	});
});

describe('Binary input under Retry On Fail (the task is resumed, not created again)', () => {
	// Max Retries 1: two status reads per try, so three failing reads fail the first try only.
	const statusOutage = (times: number) => simulator().injectFault({ route: 'status', kind: 'http', statusCode: 500, times });
	const retried = (maxTries: number, options: IDataObject = {}) => runBinary({
		parameters: { options: { maxRetries: 1, pollInterval: 0.2, ...options } },
		retryOnFail: { maxTries, waitBetweenTries: 10 },
	});

	it('keeps the image for the next try while the task lives, and that try deletes it when the task ends', async () => {
		// The API fetches the image only after the first try has failed.
		simulator().configure({ inputFetchDelayMs: 4000 });
		statusOutage(3);
		const result = await retried(3);
		expect(result.error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ status: 'completed', resumed: true, tries: 2, stagedImage: { deleted: true } });
		expect(s3.requests.map((r) => [r.method, r.status])).toEqual([['PUT', 200], ['GET', 200], ['DELETE', 204]]);
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('deletes the image on the last try, and at once without Retry On Fail: nothing is left behind', async () => {
		statusOutage(4);
		const lastTry = await retried(2);
		expect(lastTry.error?.message).toContain('500');
		expect(creates()).toHaveLength(1);
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'DELETE']);
		expect(await s3.objectKeys()).toEqual([]);

		simulator().reset();
		await s3.reset();
		simulator().injectFault({ route: 'status', kind: 'http', statusCode: 500, times: 2 });
		const once = await runBinary({ parameters: { options: { maxRetries: 1, pollInterval: 0.2 } } });
		expect(once.error?.message).toContain('500');
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'DELETE']);
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('deletes an image kept for an item the last try never reached', async () => {
		// Try 1: item 0 completes, item 1 times out (its task lives, its image is kept). Try 2, the last: item 0's
		// download fails and stops the run before item 1 starts.
		simulator().setNextTaskOutcomes({ kind: 'complete', durationMs: 100 }, { kind: 'complete', durationMs: 3000 });
		simulator().injectFault({ route: 'download', kind: 'http', statusCode: 500, after: 1, times: 10 });
		const result = await runBinary({
			items: [{}, {}],
			files: [0, 1].map(() => ({ data: { data: redJpeg, fileName: 'me.jpg', mimeType: 'image/jpeg' } })),
			parameters: { options: { maxRetries: 1, pollInterval: 0.2, waitTimeout: 1, maxParallel: 1 } },
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error?.message).toContain('500');
		expect(creates()).toHaveLength(2);
		expect(s3.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('a resubmission in the resumed try sends the image the earlier try kept, with a fresh link', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'complete' });
		statusOutage(3);
		const result = await retried(3, { resubmitOnServerError: 1 });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'completed', resumed: true, attempts: 2, stagedImage: { deleted: true } });
		const links = creates().map((request) => (request.fields as IDataObject).image_input as string);
		expect(links).toHaveLength(2);
		expect(new URL(links[1]).pathname).toBe(new URL(links[0]).pathname);
		expect(s3.requests.map((r) => [r.method, r.status])).toEqual([['PUT', 200], ['GET', 200], ['GET', 200], ['DELETE', 204]]);
		expect(await s3.objectKeys()).toEqual([]);
	});

	it('a resubmission in the resumed try stages the item\'s image again when no object was kept for it', async () => {
		// Delete Staged Image off: the earlier try hands nothing over; the bytes are still in the item.
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'complete' });
		statusOutage(3);
		const result = await retried(3, { resubmitOnServerError: 1, deleteStagedImage: false });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({ status: 'completed', resumed: true, attempts: 2 });
		const second = (creates()[1].fields as IDataObject).image_input as string;
		expect(json.stagedImage).toMatchObject({ deleted: false, url: second });
		expect(simulator().task(json.taskId as string)?.status).toBe('completed');
		expect(s3.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
		const key = (json.stagedImage as IDataObject).key as string;
		expect((await s3.objectBytes(key)).equals(redJpeg)).toBe(true);
	});
});

describe('Create Task from binary data', () => {
	it('leaves the object for the task, and puts its key and link in the output', async () => {
		const result = await runBinary({ parameters: { operation: 'create' } });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({ taskId: expect.any(String), stagedImage: { bucket: s3.bucket, deleted: false, urlExpiresAt: expect.any(String) } });
		const staged = json.stagedImage as IDataObject;
		expect(await s3.objectKeys()).toEqual([staged.key]);
		expect((creates()[0].fields as IDataObject).image_input).toBe(staged.url);
		// The task can fetch it, and nothing deletes it.
		await settledTask(simulator(), json.taskId as string);
		expect(simulator().task(json.taskId as string)?.status).toBe('completed');
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET']);
	});

	it('deletes the object at once when the task could not be created', async () => {
		const refused = await runNode({
			nodeType: new SparkPortrait(),
			credentialTypes: [new SparkPortraitVtrixApi(), new SparkPortraitS3StagingApi()],
			credentials: { sparkPortraitVtrixApi: credentialFor(simulator(), { apiKey: 'wrong-spark-key' }), sparkPortraitS3StagingApi: stagingCredential() },
			parameters: { operation: 'create', imageSource: 'binary' },
			inputBinary: [{ data: { data: redJpeg, fileName: 'me.jpg', mimeType: 'image/jpeg' } }],
		});
		expect(refused.error?.message).toContain('401');
		expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
	});
});
