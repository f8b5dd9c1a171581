/**
 * The S3 staging credential's test in real n8n 1.123.x and 2.41.x with the packed package, through
 * n8n's own REST call (what the editor's Test button sends): n8n runs the credential's declarative
 * request and signs it with the credential's `authenticate`, against a SigV4-checking S3 server on
 * loopback.
 */
import { stagingCredentialOf, startS3Server, type S3ServerHandle } from '../support/s3Server';
import type { N8nVersionKey } from './support/n8n';
import type { CredentialTestResult } from './support/n8n-api';
import { sharedN8n } from './support/shared-n8n';
import type { WorkflowRunner } from './support/workflow-runner';

jest.setTimeout(240_000);

const CREDENTIAL = { id: 'stagingTest', name: 'S3 staging (credential test)', type: 'sparkPortraitS3StagingApi' };

let s3: S3ServerHandle;

beforeAll(async () => {
	s3 = await startS3Server();
});

afterAll(async () => {
	await s3?.close();
});

const credentialData = (overrides: Record<string, string> = {}) => stagingCredentialOf(s3, overrides);

describe.each<[N8nVersionKey]>([['n8n1'], ['n8n2']])("the staging credential's test in real %s", (key) => {
	let n8n: WorkflowRunner;
	const test = (overrides: Record<string, string> = {}): Promise<CredentialTestResult> =>
		n8n.testCredential({ ...CREDENTIAL, data: credentialData(overrides) });

	beforeAll(async () => {
		n8n = await sharedN8n(key);
		// n8n tests a credential the user may read: it is stored first, as the editor does before its Test button.
		await n8n.importCredentials([{ ...CREDENTIAL, data: credentialData() }]);
	});
	afterAll(async () => {
		await n8n?.dispose();
	});
	beforeEach(async () => {
		await s3.reset();
	});

	it('a good key: success from one signed listing of the Key Prefix, nothing written', async () => {
		await expect(test()).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(s3.requests.map((r) => [r.method, r.path, r.signedBy, r.status])).toEqual([['GET', `/${s3.bucket}`, 'header', 200]]);
		expect(new URL(s3.requests[0].url, s3.url).searchParams.get('prefix')).toBe('spark-portrait/');
		expect(await s3.objectKeys()).toEqual([]);
	});

	// n8n 1.x's tester cannot see a failed request's status: it shows its own text for it, not the credential's rule.
	it('a wrong secret: refused, and the message says what to check', async () => {
		const message = key === 'n8n2' ? 'Secret Access Key' : 'Forbidden - perhaps check your credentials?';
		await expect(test({ secretAccessKey: 'not-the-secret' })).resolves.toEqual({ status: 'Error', message: expect.stringContaining(message) });
	});

	it('a bucket that does not exist', async () => {
		const message = key === 'n8n2' ? 'check the Bucket name' : 'could not be found';
		await expect(test({ bucket: 'no-such-bucket' })).resolves.toEqual({ status: 'Error', message: expect.stringContaining(message) });
	});

	it('a Key Prefix that climbs out of its folder: refused before any request, naming the field', async () => {
		const outcome = await test({ keyPrefix: '../victim/' });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toContain('Key Prefix');
		expect(s3.requests).toEqual([]);
	});
});
