/**
 * Issue 19 part 5: the S3 staging credential in n8n's own form. Its `authenticate` signs every
 * bucket request with SigV4 (n8n calls it from httpRequestWithAuthentication), its declarative
 * `test` is one signed listing of the Key Prefix, and what that listing cannot prove (write and
 * delete permission) is checked when the node first writes and deletes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';
import type { ICredentialDataDecryptedObject, IDataObject, INodeProperties } from 'n8n-workflow';

import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { testCredential } from '../harness';
import type { SimulatorHandle } from '../simulator';
import { stagingCredentialOf, type S3ServerHandle } from '../support/s3Server';
import { errorDescription } from '../support/sparkRun';
import { runBinaryInput, useStagingServers, type BinaryRun } from '../support/stagingRun';

jest.setTimeout(60_000);

const servers = useStagingServers();
let sim: SimulatorHandle;
let s3: S3ServerHandle;
let jpeg: Buffer;

beforeAll(async () => {
	({ sim, s3 } = servers);
	jpeg = await sharp({ create: { width: 320, height: 400, channels: 3, background: { r: 40, g: 40, b: 200 } } }).jpeg().toBuffer();
});

const run = (options: BinaryRun = {}) => runBinaryInput(sim, s3, jpeg, options);
const test = (data: ICredentialDataDecryptedObject) => testCredential(new SparkPortraitS3StagingApi(), data);

describe("the credential's declarative test, run as n8n's credential tester runs it", () => {
	it('is one signed listing of the Key Prefix, at most one key, and writes nothing', async () => {
		await expect(test(stagingCredentialOf(s3))).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(s3.requests.map((r) => [r.method, r.path, r.signedBy, r.status])).toEqual([['GET', `/${s3.bucket}`, 'header', 200]]);
		const query = new URL(s3.requests[0].url, s3.url).searchParams;
		expect(Object.fromEntries(query)).toEqual({ 'list-type': '2', 'max-keys': '1', prefix: 'spark-portrait/' });
		expect(await s3.objectKeys()).toEqual([]);
	});

	// Not brackets: the test server canonicalises a query with encodeURIComponent, which AWS does not (RFC 3986).
	it('signs a Key Prefix with spaces and folders the way the server checks it', async () => {
		await expect(test(stagingCredentialOf(s3, { keyPrefix: 'team photos/2026' }))).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(new URL(s3.requests[0].url, s3.url).searchParams.get('prefix')).toBe('team photos/2026/');
	});

	it('fails with what to fix: wrong secret, unknown key id, missing bucket, wrong region, nothing listening, a bad Endpoint', async () => {
		await expect(test(stagingCredentialOf(s3, { secretAccessKey: 'wrong' }))).resolves.toEqual({ status: 'Error', message: expect.stringContaining('Secret Access Key') });
		await expect(test(stagingCredentialOf(s3, { accessKeyId: 'NOSUCHKEY' }))).resolves.toEqual({ status: 'Error', message: expect.stringContaining('Access Key ID') });
		await expect(test(stagingCredentialOf(s3, { bucket: 'missing-bucket' }))).resolves.toEqual({ status: 'Error', message: expect.stringContaining('Bucket') });
		await expect(test(stagingCredentialOf(s3, { endpoint: 'http://127.0.0.1:9' }))).resolves.toEqual({ status: 'Error', message: expect.stringContaining('ECONNREFUSED') });
		await expect(test(stagingCredentialOf(s3, { endpoint: 'ftp://x' }))).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/^Endpoint /) });
		s3.deny('GET', 301, 'PermanentRedirect');
		await expect(test(stagingCredentialOf(s3))).resolves.toEqual({ status: 'Error', message: expect.stringContaining('Region') });
	});

	it('is the credential\'s own: no node method tests it, and the form says what it cannot prove', () => {
		const node = new SparkPortrait();
		expect(node.description.credentials?.find((c) => c.name === 'sparkPortraitS3StagingApi')?.testedBy).toBeUndefined();
		expect((node as { methods?: unknown }).methods).toBeUndefined();
		const notice = new SparkPortraitS3StagingApi().properties.find((p: INodeProperties) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/s3:ListBucket[\s\S]*s3:PutObject[\s\S]*s3:DeleteObject/);
	});
});

describe("the node's bucket requests are signed by the credential", () => {
	it('n8n calls its authenticate for the upload and the delete; the presigned link stays the node\'s', async () => {
		const stagingType = new SparkPortraitS3StagingApi();
		const signed = jest.spyOn(stagingType, 'authenticate');
		const result = await run({ stagingType });
		expect(result.error).toBeUndefined();
		expect(signed.mock.calls.map(([, request]) => request.method)).toEqual(['PUT', 'DELETE']);
		expect(s3.requests.map((r) => [r.method, r.signedBy, r.status])).toEqual([['PUT', 'header', 200], ['GET', 'query', 200], ['DELETE', 'header', 204]]);
	});

	it('a key that may not write: the upload names s3:PutObject, and nothing is billed', async () => {
		s3.deny('PUT');
		const result = await run();
		expect(result.error?.message).toContain('403 AccessDenied');
		expect(errorDescription(result)).toContain('may not write objects under spark-portrait/ (s3:PutObject)');
		expect(sim.requestsTo('create')).toEqual([]);
	});

	it('a key that may not delete: the item names s3:DeleteObject and the object left behind', async () => {
		s3.deny('DELETE');
		const result = await run();
		expect(result.error).toBeUndefined();
		const staged = result.items[0].json.stagedImage as IDataObject;
		expect(staged).toMatchObject({ deleted: false, deleteError: expect.stringContaining('may not delete objects under spark-portrait/ (s3:DeleteObject)') });
		expect(await s3.objectKeys()).toEqual([staged.key]);
	});
});

describe('no legacy request helper in the package', () => {
	const sources = (dir: string): string[] =>
		readdirSync(dir).flatMap((name) => {
			const full = path.join(dir, name);
			return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
		});

	it('nothing in nodes/ or credentials/ names helpers.request, requestWithAuthentication or the credential-test helpers', () => {
		const root = path.join(__dirname, '..', '..');
		const offenders = [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))].filter((file) =>
			/\bhelpers\s*(\.|\[['"])\s*request\b|\brequestWithAuthentication\b|\brequestOAuth[12]\b|\bICredentialTestFunctions\b/.test(readFileSync(file, 'utf8')),
		);
		expect(offenders.map((file) => path.relative(root, file))).toEqual([]);
	});
});
