/**
 * Issue 28 part 8: the staging credential signs what the node needs and nothing else. Any node
 * may send requests with it (an HTTP Request node with a predefined credential type does); its
 * `authenticate` signs object requests under the Key Prefix and the one listing the credential's
 * test makes, and refuses the rest (DeleteObjects, bucket policy, ACLs, copies) with a message,
 * before anything is sent.
 */
import { createHash } from 'node:crypto';

import { sendWithStagingCredential, type BucketRequest } from '../support/bucketRequestNode';
import { stagingCredentialOf, startS3Server, type S3ServerHandle } from '../support/s3Server';

jest.setTimeout(60_000);

let s3: S3ServerHandle;
beforeAll(async () => {
	s3 = await startS3Server();
});
afterAll(async () => {
	await s3.close();
});
beforeEach(async () => {
	await s3.reset();
});

const wholeBucket = () => stagingCredentialOf(s3, { keyPrefix: '' });
const underPrefix = () => stagingCredentialOf(s3);

async function putObject(key: string): Promise<void> {
	const result = await sendWithStagingCredential(wholeBucket(), { method: 'PUT', url: `/${key}`, headers: { 'content-type': 'image/jpeg' }, body: 'jpeg bytes' });
	expect(result.error).toBeUndefined();
	expect(result.items[0].json.statusCode).toBe(200);
}

function deleteObjectsBody(keys: string[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?><Delete>${keys.map((key) => `<Object><Key>${key}</Key></Object>`).join('')}</Delete>`;
}

describe('the staging credential in another node', () => {
	it('still signs the object requests and the listing under its Key Prefix', async () => {
		const inside = { method: 'PUT', url: '/spark-portrait/mine.jpg', headers: { 'content-type': 'image/jpeg' }, body: 'jpeg bytes' } as const;
		for (const request of [inside, { method: 'GET', url: '/spark-portrait/mine.jpg' }, { method: 'HEAD', url: '/spark-portrait/mine.jpg' }, { method: 'GET', url: '/', qs: { 'list-type': '2', 'max-keys': '1' } }, { method: 'DELETE', url: '/spark-portrait/mine.jpg' }] as BucketRequest[]) {
			const result = await sendWithStagingCredential(underPrefix(), request);
			expect([request.method, result.error?.message]).toEqual([request.method, undefined]);
		}
		expect(s3.requests.map((r) => [r.method, r.status])).toEqual([['PUT', 200], ['GET', 200], ['HEAD', 200], ['GET', 200], ['DELETE', 204]]);
	});

	it('refuses DeleteObjects (POST /?delete): the object outside the Key Prefix stays, and nothing reaches the bucket', async () => {
		await putObject('victim.jpg');
		s3.requests.length = 0;
		const body = deleteObjectsBody(['victim.jpg']);
		const contentMd5 = createHash('md5').update(body).digest('base64');
		for (const qs of [{ delete: '', 'list-type': '2' }, { delete: '' }]) {
			const result = await sendWithStagingCredential(underPrefix(), { method: 'POST', url: '/', qs, headers: { 'content-type': 'application/xml', 'content-md5': contentMd5 }, body });
			expect([await s3.objectKeys(), s3.requests.map((r) => `${r.method} ${r.url} ${r.status}`), result.error?.message]).toEqual([
				['victim.jpg'],
				[],
				'The staging credential signs only one listing of its Key Prefix (a GET with list-type and max-keys), not POST with "delete"',
			]);
		}
	});

	it('refuses the bucket policy, ACLs, tagging and copies from outside the prefix, naming what it signs', async () => {
		await putObject('victim.jpg');
		s3.requests.length = 0;
		const refused: BucketRequest[] = [
			{ method: 'GET', url: '/', qs: { policy: '', 'list-type': '2' } },
			{ method: 'PUT', url: '/', qs: { acl: '', 'list-type': '2' }, headers: { 'x-amz-acl': 'public-read' } },
			{ method: 'DELETE', url: '/', qs: { 'list-type': '2' } },
			{ method: 'GET', url: '/spark-portrait/mine.jpg', qs: { acl: '' } },
			{ method: 'PUT', url: '/spark-portrait/copy.jpg', headers: { 'x-amz-copy-source': `/${s3.bucket}/victim.jpg` } },
			{ method: 'PUT', url: '/spark-portrait/public.jpg', headers: { 'x-amz-acl': 'public-read' }, body: 'jpeg bytes' },
			{ method: 'POST', url: '/spark-portrait/mine.jpg', body: '' },
			{ method: 'PUT', url: '/victim.jpg', body: 'overwritten' },
		];
		for (const request of refused) {
			const result = await sendWithStagingCredential(underPrefix(), request);
			expect([request, result.error?.message]).toEqual([request, expect.stringMatching(/^The staging credential signs only /)]);
		}
		expect(s3.requests).toEqual([]);
		expect(await s3.objectKeys()).toEqual(['victim.jpg']);
		expect((await s3.objectBytes('victim.jpg')).toString()).toBe('jpeg bytes');
	});
});
