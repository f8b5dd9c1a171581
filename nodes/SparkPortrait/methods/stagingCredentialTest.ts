/**
 * The S3 staging credential's test: writes a tiny object under the key prefix, reads it back
 * through a presigned link (as the Spark API will), and deletes it. That proves the three
 * permissions the node needs (put, get, delete) and leaves nothing behind.
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { resolveStagingTarget, type StagingCredentialData } from '../api/stagingTarget';
import { newProbeKey } from '../helpers/binaryInput';
import { stagingFailureText } from '../helpers/errorMessages';
import { realClock } from '../transport/clock';
import { retryPolicy } from '../transport/retry';
import { credentialTestSender, StagingClient } from '../transport/stagingClient';

const TEST_TIMEOUT_MS = 20_000;

/** Worded as the node words the same failure in an execution. */
function failure(error: unknown): INodeCredentialTestResult {
	return { status: 'Error', message: stagingFailureText(error) };
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
