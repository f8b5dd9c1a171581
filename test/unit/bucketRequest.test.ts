/**
 * What the S3 staging credential's `authenticate` does to a request: resolves a path inside the
 * bucket to its URL, keeps it inside the Key Prefix, and signs it (SigV4; the signature itself is
 * checked by the S3 server of the integration tests and by the vectors in sigv4.test.ts).
 */
import { signBucketRequest } from '../../nodes/SparkPortrait/staging/bucketRequest';
import { BucketRequestError } from '../../nodes/SparkPortrait/errors/failures';

const credential = {
	endpoint: 'http://127.0.0.1:9000',
	region: 'eu-west-1',
	bucket: 'bkt',
	accessKeyId: 'AKID',
	secretAccessKey: 'SECRET',
	keyPrefix: 'spark-portrait/',
	pathStyle: true,
};
const at = new Date('2026-11-27T08:00:00Z');

describe('signBucketRequest', () => {
	it('signs a PUT of a key under the prefix: payload hash, content type, date; never the secret', () => {
		const signed = signBucketRequest(credential, { method: 'PUT', url: '/spark-portrait/a b.jpg', headers: { 'Content-Type': 'image/jpeg' }, body: Buffer.from('abc') }, at);
		expect(signed.url).toBe('http://127.0.0.1:9000/bkt/spark-portrait/a%20b.jpg');
		expect(signed.headers).toMatchObject({
			'content-type': 'image/jpeg',
			'x-amz-date': '20261127T080000Z',
			'x-amz-content-sha256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
			authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKID\/20261127\/eu-west-1\/s3\/aws4_request,SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,Signature=[0-9a-f]{64}$/),
		});
		expect(signed.disableFollowRedirect).toBe(true);
		expect(JSON.stringify(signed)).not.toContain('SECRET');
	});

	it('puts the bucket in the host name without Path-Style Addressing', () => {
		const signed = signBucketRequest({ ...credential, endpoint: 'https://s3.eu-west-1.amazonaws.com', pathStyle: false }, { method: 'DELETE', url: '/spark-portrait/a.jpg' }, at);
		expect(signed.url).toBe('https://bkt.s3.eu-west-1.amazonaws.com/spark-portrait/a.jpg');
	});

	it('lists the Key Prefix, whatever prefix was asked for, with the query in the signed URL', () => {
		const signed = signBucketRequest(credential, { method: 'GET', url: '/', qs: { 'list-type': '2', 'max-keys': '1', prefix: 'other/' } }, at);
		expect(signed.url).toBe('http://127.0.0.1:9000/bkt?list-type=2&max-keys=1&prefix=spark-portrait%2F');
		expect(signed.qs).toBeUndefined();
		const virtual = signBucketRequest({ ...credential, endpoint: 'http://minio.test:9000', pathStyle: false }, { method: 'GET', url: '/', qs: { 'list-type': '2' } }, at);
		expect(virtual.url).toBe('http://bkt.minio.test:9000/?list-type=2&prefix=spark-portrait%2F');
	});

	it('refuses what would leave the bucket or the Key Prefix', () => {
		for (const url of ['http://elsewhere.test/x', '//elsewhere.test/x', '/other/a.jpg', '/spark-portrait/../victim/a.jpg', '/spark-portrait//a.jpg', '/spark-portrait/./a.jpg', '/']) {
			expect(() => signBucketRequest(credential, { method: 'PUT', url }, at)).toThrow(BucketRequestError);
		}
		expect(() => signBucketRequest(credential, { method: 'GET', url: '/spark-portrait/a.jpg', qs: { acl: '' } }, at)).toThrow('which take no query; got "acl"');
	});

	it('refuses a credential with a bad Key Prefix before anything is signed, naming the field', () => {
		expect(() => signBucketRequest({ ...credential, keyPrefix: '../victim/' }, { method: 'GET', url: '/', qs: { 'list-type': '2' } }, at)).toThrow(/^Key Prefix /);
	});
});
