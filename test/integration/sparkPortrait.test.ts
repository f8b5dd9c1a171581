/**
 * The node's three operations over real HTTP against the simulator, through n8n-core's
 * WorkflowExecute and its real request and binary-data helpers.
 */
import sharp from 'sharp';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { getBinaryBuffer, testCredential } from '../harness';
import { API_KEY, credentialFor, everyText, expectCancelled, fixtureUrl, runSpark, settledTask, useTestSimulator } from '../support/sparkRun';
import { documentedCreateBody } from '../support/documentedBody';

jest.setTimeout(60_000);

const simulator = useTestSimulator();
beforeEach(() => {
	simulator().configure({ taskDurationMs: 400, responseShape: 'plain', statusWords: 'canonical', acceptFormats: undefined });
});

const apiRequests = () => simulator().requests.filter((r) => r.route === 'create' || r.route === 'status');

describe('Edit Portrait (create and wait)', () => {
	it('edits with the defaults and returns the image URL, usage and a JPEG of the requested size', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toMatchObject({
			taskId: expect.stringMatching(/.+/),
			status: 'completed',
			imageUrl: expect.stringContaining(`${simulator().url}/cdn/`),
			usage: { cost: '0.0300', quantity: 1, unitPrice: '0.0300', discount: 0 },
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(item.json.images).toEqual([
			expect.objectContaining({ url: item.json.imageUrl, size: expect.any(Number), jobId: expect.any(String) }),
		]);
		expect(item.pairedItem).toEqual({ item: 0 });

		const binary = item.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'image/jpeg', fileName: `spark-portrait-${item.json.taskId}.jpg` });
		const bytes = await getBinaryBuffer(item, 'data');
		const meta = await sharp(bytes).metadata();
		expect(meta).toMatchObject({ format: 'jpeg', width: 1328, height: 1328 });

		// The API received exactly the defaults, with no gen_mode (Auto), in the shape Vtrix's client sends.
		const [create] = simulator().requestsTo('create');
		expect(create.path).toBe('/model/v1/generation');
		expect(create.fields).toStrictEqual(documentedCreateBody(fixtureUrl(simulator())));
		expect(create.text).toBe(
			`{"model":"spark_edit_portrait","input":[{"params":{"image_input":"${fixtureUrl(simulator())}","width":1328,"height":1328,` +
				'"gpen":0.4,"skin":0.3,"skin_unifi":0,"seed":"-1","prompt":"Concert group photo, flash photography"}}]}',
		);
		expect(create.headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('sends the fields flat, byte for byte, with Request Format "Flat Fields"', async () => {
		simulator().configure({ acceptFormats: 'flat' });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), genMode: 'creative', seed: 7, options: { downloadImage: false } },
			credential: credentialFor(simulator(), { requestFormat: 'flat' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requestsTo('create')[0].text).toBe(
			`{"model":"spark_edit_portrait","image_input":"${fixtureUrl(simulator())}","width":1328,"height":1328,` +
				'"gpen":0.4,"skin":0.3,"skin_unifi":0,"seed":"7","prompt":"Concert group photo, flash photography","gen_mode":"creative"}',
		);
	});

	it('downloads the result without the Authorization header', async () => {
		await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		const downloads = simulator().requestsTo('download');
		expect(downloads).toHaveLength(1);
		expect(downloads[0].headers.authorization).toBeUndefined();
	});

	it('sends every parameter and honours size and binary field name', async () => {
		const result = await runSpark(simulator(), {
			parameters: {
				operation: 'createAndWait',
				imageUrl: fixtureUrl(simulator(), 'portrait.png'),
				prompt: 'studio portrait, soft light',
				width: 640,
				height: 896,
				gpen: 1,
				skin: 0,
				skinUnifi: 0.5,
				genMode: 'reference_char',
				seed: 1234,
				options: { binaryPropertyName: 'portrait' },
			},
		});
		expect(result.error).toBeUndefined();
		expect(simulator().requestsTo('create')[0].fields).toMatchObject({ width: 640, height: 896, gpen: 1, skin: 0, skin_unifi: 0.5, gen_mode: 'reference_char', seed: '1234' });
		const meta = await sharp(await getBinaryBuffer(result.items[0], 'portrait')).metadata();
		expect(meta).toMatchObject({ width: 640, height: 896 });
	});

	it('returns only JSON when Download Image is off', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { downloadImage: false } } });
		expect(result.items[0].binary).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requestsTo('download')).toHaveLength(0);
	});

	it('processes several items, keeping their order and pairedItem', async () => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: '={{ $json.width }}', options: { downloadImage: false } },
			inputItems: [{ width: 700 }, { width: 800 }, { width: 900 }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items.map((item) => (item.json.metadata as { width?: number } | undefined)?.width)).toEqual([700, 800, 900]);
		expect(new Set(result.items.map((item) => item.json.taskId)).size).toBe(3);
	});

	it('reports a failed task with the code in plain words and the task id', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010003' });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		const [create] = simulator().requestsTo('create');
		const taskId = create.taskId as string;
		// The id of a task the simulator created and failed, so the message below must really name it.
		expect(simulator().task(taskId)?.status).toBe('failed');
		expect(result.error?.message).toContain('003010003');
		expect(result.error?.message).toContain('only JPG/JPEG/PNG');
		expect(result.error?.message).toContain(taskId);
		expect((result.error as Error & { description?: string }).description).toContain('Convert the image to JPG');
	});

	it('fails a GIF input through the API with 003010003', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: `${simulator().url}/fixtures/generated/image.gif` } });
		expect(result.error?.message).toContain('003010003');
	});

	it('times out with the task id in the error', async () => {
		simulator().setNextTaskOutcomes({ kind: 'never' });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { waitTimeout: 1 } } });
		const taskId = simulator().requestsTo('status')[0].taskId as string;
		expect(result.error?.message).toContain(`Task ${taskId} was still processing`);
		expect((result.error as Error & { description?: string }).description).toContain('Get Task Status');
	});

	it('returns a timeout item when asked to, which Get Task Status later completes', async () => {
		simulator().configure({ taskDurationMs: 1800 });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { waitTimeout: 1, onTimeout: 'returnItem' } },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'timeout', lastStatus: expect.stringMatching(/pending|processing/) });
		const taskId = result.items[0].json.taskId as string;
		await settledTask(simulator(), taskId);
		const later = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId } });
		expect(later.items[0].json).toMatchObject({ taskId, status: 'completed' });
		expect(later.items[0].binary?.data.mimeType).toBe('image/jpeg');
	});

	it('reads the envelope shape and other status words', async () => {
		simulator().configure({ responseShape: 'envelope', statusWords: 'alternate' });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
	});

	it('stops polling promptly when the execution is cancelled', async () => {
		simulator().setNextTaskOutcomes({ kind: 'never' });
		const started = Date.now();
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) }, abortAfterMs: 800 });
		expect(Date.now() - started).toBeLessThan(5000);
		// n8n records either its own cancellation or the node's "cancelled" error, whichever lands first.
		expectCancelled(result);
		// A read sent just before the cancel may still be arriving on a busy machine: count after it.
		await new Promise((resolve) => setTimeout(resolve, 200));
		const statusReads = simulator().requestsTo('status').length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(simulator().requestsTo('status').length).toBe(statusReads);
	});
});

describe('Create Task and Get Task Status', () => {
	it('creates a task and returns its id at once, then reads it to completion', async () => {
		const created = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) } });
		expect(created.items[0].json).toMatchObject({ taskId: expect.any(String), status: 'pending' });
		expect(simulator().requestsTo('status')).toHaveLength(0);
		const taskId = created.items[0].json.taskId as string;

		const early = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId } });
		expect(early.items[0].json).toMatchObject({ taskId, status: expect.stringMatching(/pending|processing/) });
		expect(early.items[0].binary).toBeUndefined();

		await settledTask(simulator(), taskId);
		const done = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId } });
		expect(done.items[0].json).toMatchObject({ taskId, status: 'completed', imageUrl: expect.any(String), usage: { cost: '0.0300' } });
		expect((await sharp(await getBinaryBuffer(done.items[0])).metadata()).width).toBe(1328);
	});

	it('outputs progress from Create Task and Get Task Status while the API reports it, never once completed', async () => {
		// No pending phase: the create answer is already in progress, at 0.
		simulator().configure({ taskDurationMs: 2000, pendingFraction: 0 });
		const created = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) } });
		expect(created.items[0].json).toMatchObject({ status: 'processing', progress: 0 });
		const taskId = created.items[0].json.taskId as string;

		await new Promise((resolve) => setTimeout(resolve, 1000));
		const midway = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId, options: { downloadImage: false } } });
		expect(midway.items[0].json.progress).toBeGreaterThanOrEqual(0.4);
		expect(midway.items[0].json.progress).toBeLessThan(1);

		await settledTask(simulator(), taskId);
		const done = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId, options: { downloadImage: false } } });
		expect(done.items[0].json.status).toBe('completed');
		expect(done.items[0].json).not.toHaveProperty('progress');
	});

	it('reports a failed task as an item with the error code', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010095' });
		const created = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) } });
		await settledTask(simulator(), created.items[0].json.taskId as string);
		const read = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId: created.items[0].json.taskId as string } });
		expect(read.items[0].json).toMatchObject({ status: 'failed', error: { code: '003010095', description: 'Internal generation error' } });
	});

	it('names the task id on a 404', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId: 'task_does_not_exist' } });
		expect(result.error?.message).toContain('404');
		expect((result.error as Error & { description?: string }).description).toContain('task_does_not_exist');
	});
});

describe('bad input', () => {
	it.each([
		[{ width: 4000 }, 'Width (width) must be a whole number of pixels from 512 to 2048; got 4000'],
		[{ imageUrl: '   ' }, 'Image URL (image_input) is required'],
		[{ imageUrl: 'ftp://example.com/a.jpg' }, 'must use http:// or https://'],
		[{ gpen: 0.55 }, 'HD Effect (gpen) must be one of 0, 0.1'],
		[{ genMode: 'fancy' }, 'Reference Mode (gen_mode) must be one of auto, creative, reference, reference_char'],
	])('refuses %j before any request', async (override, message) => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...override } });
		expect(result.error?.message).toContain(message);
		expect(apiRequests()).toHaveLength(0);
	});

	it('refuses the whole batch before any request when one item is bad', async () => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: '={{ $json.width }}' },
			inputItems: [{ width: 800 }, { width: 5000 }],
		});
		expect(result.error?.message).toContain('got 5000');
		expect(apiRequests()).toHaveLength(0);
	});

	it('with Continue On Fail, turns the bad item into an error item and runs the others', async () => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: '={{ $json.width }}', options: { downloadImage: false } },
			inputItems: [{ width: 800 }, { width: 5000 }, { width: 900 }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.status).toBe('completed');
		expect(result.items[1].json.error).toContain('Width (width)');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.status).toBe('completed');
		expect(simulator().requestsTo('create')).toHaveLength(2);
	});

	it('with Continue On Fail, keeps the task id of a failed task in its error item', async () => {
		simulator().setNextTaskOutcomes({ kind: 'fail', code: '003010097' }, { kind: 'complete' });
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { downloadImage: false, maxParallel: 1 } },
			inputItems: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({ error: expect.stringContaining('003010097'), taskId: expect.any(String) });
		expect(result.items[1].json.status).toBe('completed');
	});

	it('refuses a credential without a scheme before any request', async () => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) },
			credential: credentialFor(simulator(), { baseUrl: simulator().url.replace('http://', '') }),
		});
		expect(result.error?.message).toContain('Base URL (Vtrix API credential) must start with http:// or https://');
		expect(simulator().requests).toHaveLength(0);
	});
});

describe('credentials', () => {
	it('explains a wrong API key and never shows the key', async () => {
		const wrongKey = 'sk-wrong-0000-secret';
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) },
			credential: credentialFor(simulator(), { apiKey: wrongKey }),
		});
		expect(simulator().requestsTo('create')[0].headers.authorization).toBe(`Bearer ${wrongKey}`);
		expect(result.error?.message).toContain('rejected the API key (401');
		expect(everyText(result)).not.toContain(wrongKey);
	});

	it('never shows the key when the API turns a request that carried it away', async () => {
		// The simulator's own key: the request is sent with it, and the answer is a 401 all the same.
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 401, body: { error: { code: '401', error_message: 'key revoked' } } });
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
		expect(simulator().requestsTo('create')[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(everyText(result)).not.toContain(API_KEY);
		expect(result.error?.message).toContain('rejected the API key (401');
	});

	it('passes the credential test with the right key, without creating a task', async () => {
		const outcome = await testCredential(new SparkPortraitVtrixApi(), credentialFor(simulator()));
		expect(outcome.status).toBe('OK');
		expect(simulator().requestsTo('create')).toHaveLength(0);
		expect(simulator().requestsTo('status')).toHaveLength(1);
	});

	it('fails the credential test with a wrong key', async () => {
		const outcome = await testCredential(new SparkPortraitVtrixApi(), credentialFor(simulator(), { apiKey: 'nope' }));
		expect(outcome).toMatchObject({ status: 'Error', message: expect.stringContaining('rejected this API key') });
	});
});
