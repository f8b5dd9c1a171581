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
import { stagingCredentialOf, startS3Server, type S3ServerHandle } from './s3Server';
import { credentialFor, settledTask, startTestSimulator } from './sparkRun';

export interface StagingServers {
	sim: SimulatorHandle;
	s3: S3ServerHandle;
}

/**
 * The simulator and the S3 server for one test file: started before its first test, reset before
 * each (and each test's tasks settled after it: a task still fetching its image would land its GET
 * in the next test's record), closed after the last. Read them once the tests run.
 */
export function useStagingServers(): StagingServers {
	const servers = {} as StagingServers;
	beforeAll(async () => {
		[servers.sim, servers.s3] = await Promise.all([startTestSimulator(), startS3Server()]);
	});
	afterAll(async () => {
		await Promise.all([servers.sim?.close(), servers.s3?.close()]);
	});
	beforeEach(async () => {
		servers.sim.reset();
		// imageWork back to the default (cheap) after a test that looked at pixels.
		servers.sim.configure({ taskDurationMs: 300, inputFetchDelayMs: 0, imageWork: undefined });
		await servers.s3.reset();
	});
	afterEach(async () => {
		for (const { taskId } of servers.sim.requestsTo('create')) if (taskId) await settledTask(servers.sim, taskId);
	});
	return servers;
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
