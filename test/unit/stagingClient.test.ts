/**
 * The staging client's request rules with a scripted sender (no HTTP): what is retried, that
 * each attempt is signed anew, that a 404 on delete counts as gone, and cancellation.
 */
import { resolveStagingTarget } from '../../nodes/SparkPortrait/staging/bucketTarget';
import { retryPolicy } from '../../nodes/SparkPortrait/transport/retry';
import { StagingClient, type S3Request, type S3Response } from '../../nodes/SparkPortrait/staging/bucketClient';
import { FakeClock } from '../support/fakeClock';
import { CancelledError, StagingHttpError, StagingNetworkError } from '../../nodes/SparkPortrait/errors/failures';

const target = resolveStagingTarget({
	endpoint: 'http://127.0.0.1:9000',
	bucket: 'bkt',
	accessKeyId: 'AKID',
	secretAccessKey: 'SECRET',
	pathStyle: true,
});

function client(answers: Array<S3Response | Error>, clock = new FakeClock()) {
	const sent: S3Request[] = [];
	const send = async (request: S3Request) => {
		sent.push(request);
		const answer = answers.shift() ?? { statusCode: 200 };
		if (answer instanceof Error) throw answer;
		return answer;
	};
	return { sent, clock, staging: new StagingClient(send, target, { clock, retry: retryPolicy(2) }) };
}

const xml = (code: string) => `<Error><Code>${code}</Code><Message>m</Message></Error>`;

describe('StagingClient', () => {
	afterEach(() => jest.restoreAllMocks());

	it('sends the key, the content type and the bytes, for the credential to sign: never the secret', async () => {
		const { sent, staging } = client([{ statusCode: 200 }]);
		await staging.putObject('spark-portrait/a.jpg', Buffer.from('abc'), 'image/jpeg');
		expect(sent).toEqual([{ method: 'PUT', key: 'spark-portrait/a.jpg', headers: { 'content-type': 'image/jpeg' }, body: Buffer.from('abc') }]);
		expect(JSON.stringify(sent)).not.toContain('SECRET');
	});

	it('retries a 503 and a dropped connection', async () => {
		// The shared retry loop adds up to 20 % jitter; without it the back-off is exact.
		jest.spyOn(Math, 'random').mockReturnValue(0);
		const { sent, clock, staging } = client([{ statusCode: 503, body: xml('SlowDown') }, new Error('socket hang up'), { statusCode: 200 }]);
		await staging.putObject('k.jpg', Buffer.from('x'), 'image/jpeg');
		expect(sent).toHaveLength(3);
		expect(clock.sleeps).toEqual([500, 1000]);
	});

	it('does not retry a refusal, and reports its S3 code', async () => {
		const { sent, staging } = client([{ statusCode: 403, body: Buffer.from(xml('SignatureDoesNotMatch')) }]);
		const error = await staging.putObject('k.jpg', Buffer.from('x'), 'image/jpeg').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StagingHttpError);
		expect(error).toMatchObject({ operation: 'upload', statusCode: 403, code: 'SignatureDoesNotMatch' });
		expect(sent).toHaveLength(1);
	});

	it('gives up after Max Retries network errors', async () => {
		const { sent, staging } = client([new Error('a'), new Error('b'), new Error('ECONNREFUSED')]);
		await expect(staging.deleteObject('k.jpg')).rejects.toBeInstanceOf(StagingNetworkError);
		expect(sent).toHaveLength(3);
	});

	it('counts a 404 on delete as done (the object is gone either way)', async () => {
		const { staging } = client([{ statusCode: 404, body: xml('NoSuchKey') }]);
		await expect(staging.deleteObject('k.jpg')).resolves.toBeUndefined();
	});

	it('stops at once when cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const { sent, staging } = client([]);
		await expect(staging.putObject('k.jpg', Buffer.from('x'), 'image/jpeg', controller.signal)).rejects.toBeInstanceOf(CancelledError);
		expect(sent).toHaveLength(0);
	});

	it('presigns with the clock and the expiry given', () => {
		const { clock, staging } = client([]);
		clock.time = Date.parse('2026-11-27T08:00:00Z');
		const url = new URL(staging.presignGet('spark-portrait/a.jpg', 900));
		expect(url.origin + url.pathname).toBe('http://127.0.0.1:9000/bkt/spark-portrait/a.jpg');
		expect(Object.fromEntries(url.searchParams)).toMatchObject({
			'X-Amz-Date': '20261127T080000Z',
			'X-Amz-Expires': '900',
			'X-Amz-Credential': 'AKID/20261127/us-east-1/s3/aws4_request',
			'X-Amz-SignedHeaders': 'host',
		});
	});
});
