/**
 * The staging bucket's pure parts: reading the credential into a target, object URLs in both
 * addressing styles, S3 error bodies, and the keys staged images get.
 */
import { parseS3Error } from '../../nodes/SparkPortrait/staging/s3Error';
import { objectUrl, resolveStagingTarget } from '../../nodes/SparkPortrait/staging/bucketTarget';
import { newStagedImage } from '../../nodes/SparkPortrait/staging/binaryInput';
import { s3ErrorHint } from '../../nodes/SparkPortrait/errors/messages';

const fields = {
	endpoint: 'https://s3.eu-west-1.amazonaws.com',
	region: 'eu-west-1',
	bucket: 'my-photos',
	accessKeyId: 'AKIDEXAMPLE',
	secretAccessKey: ' secret with spaces ',
	keyPrefix: 'spark-portrait/',
	pathStyle: false,
};

describe('resolveStagingTarget', () => {
	it('reads the fields, keeping the secret exactly as typed', () => {
		const target = resolveStagingTarget(fields);
		expect(target).toMatchObject({ region: 'eu-west-1', bucket: 'my-photos', keyPrefix: 'spark-portrait/', pathStyle: false });
		expect(target.keys).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: ' secret with spaces ' });
	});

	it('defaults the region to us-east-1 and the prefix to spark-portrait/', () => {
		const target = resolveStagingTarget({ ...fields, region: '', keyPrefix: undefined });
		expect(target.region).toBe('us-east-1');
		expect(target.keyPrefix).toBe('spark-portrait/');
	});

	it('names the field that is wrong, and never the secret', () => {
		expect(() => resolveStagingTarget({ ...fields, endpoint: 's3.amazonaws.com' })).toThrow('Endpoint in the Spark Portrait S3 Staging credential must be an http:// or https:// URL');
		expect(() => resolveStagingTarget({ ...fields, endpoint: 'https://s3.example.com/?x=1' })).toThrow('without query');
		expect(() => resolveStagingTarget({ ...fields, bucket: '' })).toThrow('Bucket is empty');
		expect(() => resolveStagingTarget({ ...fields, bucket: 'a/b' })).toThrow('Bucket in the Spark Portrait S3 Staging credential must be a bucket name');
		expect(() => resolveStagingTarget({ ...fields, accessKeyId: ' ' })).toThrow('Access Key ID is empty');
		expect(() => resolveStagingTarget({ ...fields, secretAccessKey: '' })).toThrow('Secret Access Key is empty');
	});

	it('normalises the key prefix into a folder without a leading slash', () => {
		const prefixOf = (keyPrefix: unknown) => resolveStagingTarget({ ...fields, keyPrefix }).keyPrefix;
		expect(prefixOf('/uploads')).toBe('uploads/');
		expect(prefixOf('a/b/')).toBe('a/b/');
		expect(prefixOf('')).toBe('');
		expect(prefixOf('team.photos/v1..2')).toBe('team.photos/v1..2/');
	});

	it('refuses "." and ".." folders and empty ones in the key prefix, naming the field', () => {
		for (const keyPrefix of ['../victim/', 'a/../../b/', './a/', 'a/./', 'a//b/', '..', '.']) {
			expect(() => resolveStagingTarget({ ...fields, keyPrefix })).toThrow(/^Key Prefix in the Spark Portrait S3 Staging credential may not contain "\." or "\.\." folders or empty ones/);
		}
	});
});

describe('objectUrl', () => {
	it('puts the bucket in the host name by default (AWS virtual-hosted style)', () => {
		expect(objectUrl(resolveStagingTarget(fields), 'spark-portrait/ab.jpg').href).toBe('https://my-photos.s3.eu-west-1.amazonaws.com/spark-portrait/ab.jpg');
	});

	it('puts it in the path with Path-Style Addressing (MinIO), keeping a port and a base path', () => {
		const target = resolveStagingTarget({ ...fields, endpoint: 'http://minio.local:9000/s3/', pathStyle: true });
		expect(objectUrl(target, 'spark-portrait/ab.jpg').href).toBe('http://minio.local:9000/s3/my-photos/spark-portrait/ab.jpg');
	});

	it('encodes a key the way SigV4 signs it', () => {
		const target = resolveStagingTarget({ ...fields, pathStyle: true });
		expect(objectUrl(target, 'my photos (1)/a+b.jpg').pathname).toBe('/my-photos/my%20photos%20%281%29/a%2Bb.jpg');
	});
});

describe('S3 error bodies', () => {
	it('reads the code and the message only', () => {
		const body = '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><StringToSign>AWS4-HMAC-SHA256...</StringToSign></Error>';
		expect(parseS3Error(Buffer.from(body))).toEqual({ code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match' });
		expect(parseS3Error('<html>Bad gateway</html>')).toEqual({ code: undefined, message: undefined });
		expect(parseS3Error(undefined)).toEqual({ code: undefined, message: undefined });
	});

	it('says what to check for the usual codes', () => {
		expect(s3ErrorHint(403, 'SignatureDoesNotMatch')).toContain('Secret Access Key');
		expect(s3ErrorHint(403, 'AccessDenied')).toContain('s3:PutObject, s3:GetObject and s3:DeleteObject');
		expect(s3ErrorHint(404, 'NoSuchBucket')).toContain('Bucket name');
		expect(s3ErrorHint(400, 'AuthorizationHeaderMalformed')).toContain('Region');
		expect(s3ErrorHint(301, undefined)).toContain('Path-Style');
		expect(s3ErrorHint(503, undefined)).toContain('try again later');
	});
});

describe('object keys', () => {
	it('are 128 random bits under the prefix, with the image type as extension', () => {
		const target = resolveStagingTarget(fields);
		const staged = Array.from({ length: 200 }, () => newStagedImage(target, 'png'));
		const keys = new Set(staged.map((image) => image.key));
		expect(keys.size).toBe(200);
		for (const image of staged) expect(image).toEqual({ bucket: 'my-photos', key: expect.stringMatching(/^spark-portrait\/[0-9a-f]{32}\.png$/) });
	});
});
