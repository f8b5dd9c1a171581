/**
 * Binary input in real n8n (1.123.x and 2.41.x, each in inline "default" and "filesystem"
 * binary data mode): an HTTP Request node downloads a photo as binary data, Spark Portrait
 * stages it in a SigV4-checking S3 server on loopback, the simulator fetches it through the
 * presigned link, and afterwards the bucket is empty. Each version's own default mode (1.x
 * inline, 2.x filesystem) runs in the shared n8n; the other mode in an n8n of this file's own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import { startSimulator, type SimulatorHandle } from '../simulator';
import { startS3Server, type S3ServerHandle } from '../support/s3Server';
import { nodeOutput, type BinaryMode, type N8nVersionKey } from './support/n8n';
import { ownN8n, sharedN8n } from './support/shared-n8n';

jest.setTimeout(240_000);

const API_KEY = 'e2e-binary-key-51c9e2';

let sim: SimulatorHandle;
let s3: S3ServerHandle;
const printed: string[] = [];

beforeAll(async () => {
	[sim, s3] = await Promise.all([startSimulator({ apiKey: API_KEY, taskDurationMs: 500 }), startS3Server()]);
});

afterAll(async () => {
	await Promise.all([sim.close(), s3.close()]);
	const all = printed.join('\n');
	expect(all).not.toContain(API_KEY);
	expect(all).not.toContain(s3.secretAccessKey);
});

function workflow(): object {
	const text = readFileSync(path.join(__dirname, 'workflows', 'binary-input.json'), 'utf8').split('__SIM_URL__').join(sim.url);
	return JSON.parse(text) as object;
}

/** The mode each version uses when N8N_DEFAULT_BINARY_DATA_MODE is not set, as in the shared n8n. */
const NATIVE_MODE: Record<N8nVersionKey, BinaryMode> = { n8n1: 'default', n8n2: 'filesystem' };

describe.each<[N8nVersionKey, BinaryMode]>([
	['n8n1', 'default'],
	['n8n1', 'filesystem'],
	['n8n2', 'default'],
	['n8n2', 'filesystem'],
])('in real %s, %s binary mode', (key, binaryMode) => {
	it('edits a binary from the previous node and leaves nothing in the bucket', async () => {
		sim.reset();
		await s3.reset();
		const n8n = binaryMode === NATIVE_MODE[key] ? await sharedN8n(key) : await ownN8n(key, { binaryMode });
		try {
			await n8n.importCredentials([
				{
					id: 'sparkE2e',
					name: 'Spark API (simulator)',
					type: 'sparkPortraitVtrixApi',
					data: { apiKey: API_KEY, baseUrl: sim.url },
				},
				{
					id: 'stagingE2e',
					name: 'S3 staging (loopback)',
					type: 'sparkPortraitS3StagingApi',
					data: { endpoint: s3.url, region: 'us-east-1', bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, keyPrefix: 'spark-portrait/', pathStyle: true },
				},
			]);
			const result = await n8n.runWorkflow(workflow());
			printed.push(result.stdout, result.stderr);
			expect(result.exitCode).toBe(0);

			const [download] = nodeOutput(result.run, 'Download Photo');
			// The input really was stored in the mode under test.
			expect(Boolean(download.binary?.data.id)).toBe(binaryMode === 'filesystem');
			const [item] = nodeOutput(result.run, 'Edit Portrait');
			expect(item.json).toMatchObject({ status: 'completed', stagedImage: { bucket: s3.bucket, deleted: true } });
			const key = (item.json.stagedImage as { key: string }).key;
			expect(s3.requests.map((r) => [r.method, r.path, r.signedBy, r.status])).toEqual([
				['PUT', `/${s3.bucket}/${key}`, 'header', 200],
				['GET', `/${s3.bucket}/${key}`, 'query', 200],
				['DELETE', `/${s3.bucket}/${key}`, 'header', 204],
			]);
			expect(await s3.objectKeys()).toEqual([]);
			expect((await sharp(await n8n.readBinary(item.binary!.data)).metadata()).width).toBe(768);
		} finally {
			await n8n.dispose();
		}
	});
});
