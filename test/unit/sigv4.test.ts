/**
 * SigV4 against the examples AWS publishes for S3 (examplebucket, 24 May 2013, us-east-1): the
 * query-string (presigned URL) example and the header-signed GET Object, PUT Object and
 * GET Bucket examples. The expected values are the documentation's, byte for byte.
 */
import {
	amzDate,
	canonicalPath,
	canonicalQuery,
	canonicalRequest,
	presignUrl,
	sha256Hex,
	signRequest,
	stringToSign,
	uriEncode,
} from '../../nodes/SparkPortrait/staging/sigv4';

const keys = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const scope = { region: 'us-east-1', service: 's3' };
const date = new Date('2013-05-24T00:00:00Z');
const host = 'https://examplebucket.s3.amazonaws.com';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function signatureOf(authorization: string): string {
	return /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1] ?? '';
}

describe('presigned URL (AWS "Authenticating Requests: Using Query Parameters" example)', () => {
	it('gives the documented URL for GET examplebucket/test.txt, 86400 s', () => {
		expect(presignUrl('GET', new URL(`${host}/test.txt`), keys, scope, date, 86400)).toBe(
			'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
				'&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
				'&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
				'&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
		);
	});

	it('builds the documented canonical request and string to sign on the way', () => {
		const query = canonicalQuery([
			['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
			['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
			['X-Amz-Date', '20130524T000000Z'],
			['X-Amz-Expires', '86400'],
			['X-Amz-SignedHeaders', 'host'],
		]);
		const canonical = canonicalRequest({
			method: 'GET',
			pathname: '/test.txt',
			query,
			headers: { host: 'examplebucket.s3.amazonaws.com' },
			payloadHash: 'UNSIGNED-PAYLOAD',
		});
		expect(canonical).toBe(
			'GET\n/test.txt\n' +
				'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n' +
				'host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD',
		);
		expect(stringToSign(canonical, date, scope)).toBe(
			'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04',
		);
	});

	it('changes with the key, the expiry and the secret (a link opens one object only)', () => {
		const base = presignUrl('GET', new URL(`${host}/test.txt`), keys, scope, date, 86400);
		expect(presignUrl('GET', new URL(`${host}/other.txt`), keys, scope, date, 86400)).not.toContain(base.slice(-64));
		expect(presignUrl('GET', new URL(`${host}/test.txt`), keys, scope, date, 900)).not.toContain(base.slice(-64));
		expect(presignUrl('GET', new URL(`${host}/test.txt`), { ...keys, secretAccessKey: 'x' }, scope, date, 86400)).not.toContain(base.slice(-64));
		expect(base).not.toContain(keys.secretAccessKey);
	});
});

describe('header-signed requests (AWS "Signature Calculations ... (Header)" examples)', () => {
	it('GET Object with a Range header', () => {
		const headers = signRequest(
			{ method: 'GET', url: new URL(`${host}/test.txt`), headers: { range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256 },
			keys,
			scope,
			date,
		);
		expect(headers.authorization).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
				'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
				'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
		);
		expect(headers['x-amz-date']).toBe('20130524T000000Z');
		expect(headers['x-amz-content-sha256']).toBe(EMPTY_SHA256);
		expect(headers.host).toBeUndefined();
	});

	it('PUT Object "test$file.text" with a payload and x-amz-storage-class', () => {
		const payloadHash = sha256Hex('Welcome to Amazon S3.');
		expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
		const headers = signRequest(
			{
				method: 'PUT',
				url: new URL(`${host}/test$file.text`),
				headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
				payloadHash,
			},
			keys,
			scope,
			date,
		);
		expect(headers.authorization).toContain('SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,');
		expect(signatureOf(headers.authorization)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
	});

	it('GET Bucket lifecycle (a sub-resource without a value) and a list with a query', () => {
		const lifecycle = signRequest({ method: 'GET', url: new URL(`${host}/?lifecycle`), payloadHash: EMPTY_SHA256 }, keys, scope, date);
		expect(signatureOf(lifecycle.authorization)).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
		const list = signRequest({ method: 'GET', url: new URL(`${host}/?max-keys=2&prefix=J`), payloadHash: EMPTY_SHA256 }, keys, scope, date);
		expect(signatureOf(list.authorization)).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
	});
});

describe('encoding', () => {
	it('encodes like S3: unreserved characters stay, the rest is %XX once, slashes kept in paths', () => {
		expect(uriEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
		expect(uriEncode('a b+c/é*')).toBe('a%20b%2Bc%2F%C3%A9%2A');
		expect(canonicalPath('/test$file.text')).toBe('/test%24file.text');
		expect(canonicalPath('/bucket/spark%20portrait/a.jpg')).toBe('/bucket/spark%20portrait/a.jpg');
		expect(canonicalPath('')).toBe('/');
	});

	it('formats the time as AWS wants it', () => {
		expect(amzDate(new Date('2026-11-27T07:05:09.123Z'))).toBe('20261127T070509Z');
	});
});
