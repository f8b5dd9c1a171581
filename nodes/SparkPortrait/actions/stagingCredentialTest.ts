/**
 * The S3 staging credential's test: writes a tiny object under the key prefix, reads it back
 * through a presigned link (as the Spark API will), and deletes it. That proves the three
 * permissions the node needs (put, get, delete) and leaves nothing behind.
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { s3ErrorHint } from '../api/s3Error';
import { resolveStagingTarget, type StagingCredentialData } from '../api/staging';
import { InputError } from '../api/validation';
import { newProbeKey } from '../helpers/staging';
import { realClock } from '../transport/clock';
import { retryPolicy } from '../transport/retry';
import { credentialTestSender, StagingClient, StagingHttpError, StagingNetworkError } from '../transport/staging';

const TEST_TIMEOUT_MS = 20_000;

function failure(error: unknown): INodeCredentialTestResult {
	if (error instanceof StagingHttpError) {
		const code = error.code ? ` ${error.code}` : '';
		return { status: 'Error', message: `The ${error.operation} of a test object failed (${error.statusCode}${code}). ${s3ErrorHint(error.statusCode, error.code)}` };
	}
	if (error instanceof StagingNetworkError) {
		return { status: 'Error', message: `Could not reach the endpoint: ${error.reason}` };
	}
	if (error instanceof InputError) return { status: 'Error', message: error.message };
	return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
}

export async function testStagingCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const target = resolveStagingTarget((credential.data ?? {}) as StagingCredentialData);
		const client = new StagingClient(credentialTestSender(this.helpers, TEST_TIMEOUT_MS), target, { clock: realClock, retry: retryPolicy(0) });
		const key = newProbeKey(target.keyPrefix);
		await client.putObject(key, Buffer.from('n8n Spark Portrait credential test\n'), 'text/plain');
		const readBack = await client.readBack(key).then(() => undefined, (error: unknown) => failure(error));
		const deleted = await client.deleteObject(key).then(() => undefined, (error: unknown) => failure(error));
		if (deleted) return { status: 'Error', message: `${deleted.message} The test object ${key} stays in the bucket.` };
		if (readBack) return readBack;
		return { status: 'OK', message: `Wrote, read back through a presigned link, and deleted a test object in bucket "${target.bucket}"` };
	} catch (error) {
		return failure(error);
	}
}
