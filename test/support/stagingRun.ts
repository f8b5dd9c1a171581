/**
 * Binary input runs for the staging tests: the node, through n8n-core's WorkflowExecute, with the
 * simulator as its API and a SigV4-checking S3 server on loopback as its staging bucket.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';
import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { runNode, type InputBinary, type RunNodeResult } from '../harness';
import type { SimulatorHandle } from '../simulator';
import type { S3ServerHandle } from './s3Server';
import { credentialFor } from './sparkRun';

export function stagingCredentialOf(s3: S3ServerHandle, overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		endpoint: s3.url,
		region: 'us-east-1',
		bucket: s3.bucket,
		accessKeyId: s3.accessKeyId,
		secretAccessKey: s3.secretAccessKey,
		keyPrefix: 'spark-portrait/',
		pathStyle: true,
		...overrides,
	};
}

export interface BinaryRun {
	parameters?: INodeParameters;
	files?: InputBinary;
	items?: IDataObject[];
	staging?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	abortAfterMs?: number;
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** The staging credential type as n8n loads it (a test may watch its methods). */
	stagingType?: SparkPortraitS3StagingApi;
}

/** Edit Portrait (unless the parameters say otherwise) of one binary image per item. */
export async function runBinaryInput(sim: SimulatorHandle, s3: S3ServerHandle, image: Buffer, run: BinaryRun = {}): Promise<RunNodeResult> {
	const items = run.items ?? [{}];
	return await runNode({
		nodeType: new SparkPortrait(),
		credentialTypes: [new SparkPortraitVtrixApi(), run.stagingType ?? new SparkPortraitS3StagingApi()],
		credentials: { sparkPortraitVtrixApi: credentialFor(sim), sparkPortraitS3StagingApi: run.staging ?? stagingCredentialOf(s3) },
		parameters: { operation: 'createAndWait', imageSource: 'binary', ...run.parameters },
		inputItems: items,
		inputBinary: run.files ?? items.map(() => ({ data: { data: image, fileName: 'me.jpg', mimeType: 'image/jpeg' } })),
		continueOnFail: run.continueOnFail,
		abortAfterMs: run.abortAfterMs,
		retryOnFail: run.retryOnFail,
	});
}
