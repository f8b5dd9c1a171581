// The simulator is the stand-in for the real API in every other test, so it is tested over real HTTP here.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import sharp from 'sharp';

import { MALFORMED_JSON, startRecorder, startSimulator, type SimulatorHandle } from '../simulator';
import { DOCUMENTED_DEFAULTS } from '../support/documentedBody';

interface ApiError {
	code: string;
	error_message: string;
}

interface TaskBody {
	id: string;
	status: string;
	model: string;
	created_at: number;
	metadata: Record<string, unknown>;
	error?: ApiError;
	output?: Array<{ content: Array<{ type: string; url: string; size: number; jobId: string }> }>;
	usage?: { cost: string; quantity: number; unit_price: string; discount: number };
	progress?: number;
}

interface Envelope<T> {
	code: number | string;
	message: string;
	data: T;
}

const DURATION_MS = 200;

let sim: SimulatorHandle;
let api: AxiosInstance;
let fixtureUrl: string;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, taskDurationMs: DURATION_MS, pendingFraction: 0.25 });
	api = axios.create({
		baseURL: sim.url,
		validateStatus: () => true,
		headers: { Authorization: `Bearer ${sim.apiKey}` },
	});
	fixtureUrl = `${sim.url}/fixtures/portrait.jpg`;
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
	// undefined restores each default, so one test's settings never leak into the next.
	sim.configure({ taskDurationMs: DURATION_MS, pendingFraction: 0.25, responseShape: undefined, statusWords: undefined, rateLimitPerSecond: undefined, rateLimitHeaders: undefined, progressShape: undefined });
});

// Small by default: background image work from one test should not slow the next.
const SMALL = { width: 512, height: 512 };

const CREATE_PATH = '/model/v1/generation';

/** The body as Vtrix's own client sends it, the simulator's default. */
function vtrixBody(fields: Record<string, unknown>): Record<string, unknown> {
	const { model, ...params } = fields;
	return { model, input: [{ params }] };
}

function create(body: Record<string, unknown> = {}): Promise<AxiosResponse<TaskBody>> {
	return api.post<TaskBody>(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait', image_input: fixtureUrl, ...SMALL, ...body }));
}

function createBare(body: Record<string, unknown> = {}): Promise<AxiosResponse<TaskBody>> {
	return api.post<TaskBody>(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait', image_input: fixtureUrl, ...body }));
}

function status(id: string): Promise<AxiosResponse<TaskBody>> {
	return api.get<TaskBody>(`/model/v1/generation/task/${id}`);
}

async function createOk(body: Record<string, unknown> = {}): Promise<string> {
	const response = await create(body);
	expect(response.status).toBe(200);
	return response.data.id;
}

/** Polls fast; returns every status seen, in order, and the final body. */
async function pollToEnd(id: string, firstSeen?: string, timeoutMs = 5000): Promise<{ seen: string[]; last: TaskBody }> {
	const seen: string[] = firstSeen ? [firstSeen] : [];
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const { data } = await status(id);
		if (seen[seen.length - 1] !== data.status) seen.push(data.status);
		if (data.status === 'completed' || data.status === 'failed') return { seen, last: data };
		await sleep(15);
	}
	throw new Error(`task ${id} did not end within ${timeoutMs} ms (seen ${seen.join(' > ')})`);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function download(url: string): Promise<AxiosResponse<Buffer>> {
	return axios.get<Buffer>(url, { responseType: 'arraybuffer', validateStatus: () => true });
}

describe('auth', () => {
	it.each([
		['no header', {}],
		['a wrong key', { Authorization: 'Bearer wrong' }],
		['another scheme', { Authorization: 'Basic sim-test-key' }],
	])('answers 401 with %s', async (_name, headers) => {
		const plain = axios.create({ baseURL: sim.url, validateStatus: () => true, headers });
		for (const response of [
			await plain.post(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait', image_input: fixtureUrl, ...SMALL })),
			await plain.get('/model/v1/generation/task/task_unknown'),
		]) {
			expect(response.status).toBe(401);
			expect(response.headers['content-type']).toContain('application/json');
			expect(response.data).toEqual({ error: { code: '401', error_message: 'Invalid or missing API key' } });
		}
	});

	it('answers 404 for an unknown task with a good key (what the credential test relies on)', async () => {
		const response = await status('task_does_not_exist');
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ error: { code: '404', error_message: 'Task not found' } });
	});
});

describe('create validation', () => {
	it.each<[string, Record<string, unknown>, string, string]>([
		['missing image_input', { image_input: undefined }, '003010001', 'Missing image input'],
		['empty image_input', { image_input: '' }, '003010001', 'Missing image input'],
		['wrong model', { model: 'other' }, '003010002', 'model'],
		['missing model', { model: undefined }, '003010002', 'model'],
		['a non-http image_input', { image_input: 'ftp://example.com/a.jpg' }, '003010002', 'image_input'],
		['a non-URL image_input', { image_input: 'portrait.jpg' }, '003010002', 'image_input'],
		['width below 512', { width: 511 }, '003010002', 'width'],
		['width above 2048', { width: 2049 }, '003010002', 'width'],
		['a fractional height', { height: 1000.5 }, '003010002', 'height'],
		['height as a string', { height: '1024' }, '003010002', 'height'],
		['gpen off the 0.1 grid', { gpen: 0.15 }, '003010002', 'gpen'],
		['skin above 1', { skin: 1.1 }, '003010002', 'skin'],
		['skin_unifi below 0', { skin_unifi: -0.1 }, '003010002', 'skin_unifi'],
		['an unknown gen_mode', { gen_mode: 'artistic' }, '003010002', 'gen_mode'],
		['a numeric seed', { seed: 42 }, '003010002', 'seed'],
		['seed -2', { seed: '-2' }, '003010002', 'seed'],
		['a non-integer seed', { seed: '1.5' }, '003010002', 'seed'],
		['a prompt that is not a string', { prompt: 7 }, '003010002', 'prompt'],
		['an unknown field', { style: 'anime' }, '003010002', 'style'],
	])('rejects %s', async (_name, body, code, mention) => {
		const response = await create(body);
		expect(response.status).toBe(400);
		expect(response.data.status).toBe('failed');
		expect(response.data.error?.code).toBe(code);
		expect(response.data.error?.error_message).toContain(mention);
	});

	it.each([
		['non-JSON', 'model=spark_edit_portrait'],
		['a JSON array', '[]'],
		['empty', ''],
	])('rejects a %s body with 003010002', async (_name, raw) => {
		const response = await api.post(CREATE_PATH, raw, { headers: { 'Content-Type': 'application/json' }, transformRequest: (data: unknown) => data });
		expect(response.status).toBe(400);
		expect((response.data as { error: ApiError }).error.code).toBe('003010002');
	});

	it('accepts the edges of every range', async () => {
		const response = await create({ width: 512, height: 2048, gpen: 0.3, skin: 1, skin_unifi: 0, seed: '0', gen_mode: 'reference_char' });
		expect(response.status).toBe(200);
	});

	it('fills the documented defaults and switches gen_mode on the prompt', async () => {
		const plain = await createBare();
		expect(plain.data).toMatchObject({ status: 'in_progress', model: 'spark_edit_portrait' });
		expect(plain.data.id).toMatch(/^task_/);
		expect(Math.abs(plain.data.created_at - Date.now() / 1000)).toBeLessThan(5);
		expect(plain.data.metadata).toEqual({ image_input: fixtureUrl, ...DOCUMENTED_DEFAULTS, gen_mode: 'reference' });
		expect((await create({ prompt: 'studio portrait' })).data.metadata.gen_mode).toBe('creative');
		expect((await create({ prompt: 'studio portrait', gen_mode: 'reference_char' })).data.metadata.gen_mode).toBe('reference_char');
	});
});

describe("Vtrix's form by default", () => {
	it("serves Vtrix's paths and answers in_progress with rising progress, then completed without it", async () => {
		sim.configure({ taskDurationMs: 600 });
		expect(sim.options).toMatchObject({ createPath: CREATE_PATH, statusPath: '/model/v1/generation/task/{taskId}' });
		const created = await create();
		expect(created.data).toMatchObject({ status: 'in_progress', progress: expect.any(Number) });
		const progress: number[] = [created.data.progress ?? -1];
		let last = created.data;
		while (last.status === 'in_progress') {
			await sleep(40);
			last = (await status(created.data.id)).data;
			if (last.progress !== undefined) progress.push(last.progress);
		}
		expect(last.status).toBe('completed');
		expect(last).not.toHaveProperty('progress');
		expect(progress.length).toBeGreaterThan(3);
		expect(progress.every((value, index) => value >= 0 && value < 1 && (index === 0 || value >= progress[index - 1]))).toBe(true);
		expect(progress.at(-1)).toBeGreaterThan(0.5);
	});

	it('refuses the fields sent flat with a 400 that names input, and takes them when told to', async () => {
		const flat = { model: 'spark_edit_portrait', image_input: fixtureUrl, ...SMALL };
		const refused = await api.post<TaskBody>(CREATE_PATH, flat);
		expect(refused.status).toBe(400);
		expect(refused.data.error).toMatchObject({ code: '003010002', error_message: expect.stringContaining("missing 'input'") });

		sim.configure({ acceptFormats: 'flat' });
		expect((await api.post(CREATE_PATH, flat)).status).toBe(200);
		const wrapped = await api.post<TaskBody>(CREATE_PATH, vtrixBody(flat));
		expect(wrapped.status).toBe(400);
		expect(wrapped.data.error?.error_message).toContain("unknown parameter 'input'");

		sim.configure({ acceptFormats: 'both' });
		expect((await api.post(CREATE_PATH, flat)).status).toBe(200);
		expect((await api.post(CREATE_PATH, vtrixBody(flat))).status).toBe(200);
	});

	it.each([
		['more than one input block', { model: 'spark_edit_portrait', input: [{ params: {} }, { params: {} }] }, "'input' must be a list"],
		['input without params', { model: 'spark_edit_portrait', input: [{ image_input: 'x' }] }, "'input' must be a list"],
		['a field beside model and input', { model: 'spark_edit_portrait', input: [{ params: {} }], width: 512 }, "unknown parameter 'width'"],
	])('refuses a wrapped body with %s', async (_name, body, mention) => {
		const response = await api.post<TaskBody>(CREATE_PATH, body);
		expect(response.status).toBe(400);
		expect(response.data.error?.error_message).toContain(mention);
	});
});

describe('life cycle and result image', () => {
	it('goes pending > processing > completed on the clock (canonical words), with output and usage', async () => {
		sim.configure({ taskDurationMs: 400, pendingFraction: 0.5, statusWords: 'canonical' });
		const created = await create({ width: 640, height: 768, seed: '7' });
		const id = created.data.id;
		const { seen, last } = await pollToEnd(id, created.data.status);
		expect(seen).toEqual(['pending', 'processing', 'completed']);
		const task = sim.task(id);
		expect(task?.pendingUntil).toBe((task?.createdAt ?? 0) + 200);
		expect(task?.completesAt).toBe((task?.createdAt ?? 0) + 400);
		expect(last.usage).toEqual({ cost: '0.0300', quantity: 1, unit_price: '0.0300', discount: 0 });
		expect(last.error).toBeUndefined();
		const content = last.output?.[0].content[0];
		expect(content).toMatchObject({ type: 'image', jobId: task?.jobId });
		expect(content?.url).toBe(`${sim.url}/cdn/${id}/${task?.jobId}.jpg`);

		const image = await download(content?.url ?? '');
		expect(image.status).toBe(200);
		expect(image.headers['content-type']).toBe('image/jpeg');
		expect(Number(image.headers['content-length'])).toBe(content?.size);
		const metadata = await sharp(image.data).metadata();
		expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 640, 768]);
		// The CDN is public: nothing the client sends there should carry the key.
		expect(sim.requestsTo('download')[0].headers.authorization).toBeUndefined();
	});

	/** Three results: two with the same parameters, one with another seed. */
	async function threeResults(): Promise<Buffer[]> {
		const params = { width: 600, height: 600, seed: '11', prompt: 'a' };
		const ids = [await createOk(params), await createOk(params), await createOk({ ...params, seed: '12' })];
		return Promise.all(
			ids.map(async (id) => {
				const { last } = await pollToEnd(id);
				return (await download(last.output?.[0].content[0].url ?? '')).data;
			}),
		);
	}

	it('edits for real when asked (imageWork realistic): not a plain resize, deterministic, and dependent on the parameters', async () => {
		sim.configure({ imageWork: 'realistic' });
		try {
			const images = await threeResults();
			expect(images[0].equals(images[1])).toBe(true);
			expect(images[0].equals(images[2])).toBe(false);
			const source = (await download(fixtureUrl)).data;
			const plainResize = await sharp(source).resize(600, 600, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
			expect(await meanDifference(images[0], plainResize)).toBeGreaterThan(8);
		} finally {
			sim.configure({ imageWork: undefined });
		}
	});

	it('stands in cheaply by default: a plain picture of the requested size, still deterministic and dependent on the parameters', async () => {
		const images = await threeResults();
		expect(images[0].equals(images[1])).toBe(true);
		expect(images[0].equals(images[2])).toBe(false);
		const { channels } = await sharp(images[0]).stats();
		// One colour all over: nothing of the input was decoded or drawn.
		expect(channels.map((channel) => channel.max - channel.min)).toEqual([0, 0, 0]);
		expect((await sharp(images[0]).metadata()).width).toBe(600);
	});

	it('serves the PNG fixture as input too, and answers 404 JSON for an unknown image', async () => {
		const { last } = await pollToEnd(await createOk({ image_input: `${sim.url}/fixtures/portrait.png`, width: 512, height: 512 }));
		expect(last.status).toBe('completed');
		const missing = await download(`${sim.url}/cdn/task_x/job_y.jpg`);
		expect(missing.status).toBe(404);
		expect(missing.headers['content-type']).toContain('application/json');
	});

	it('keeps reporting processing past the deadline until the picture is ready', async () => {
		sim.configure({ taskDurationMs: 0 });
		sim.injectFault({ route: 'fixture', kind: 'delay', delayMs: 300 });
		const id = await createOk();
		await sleep(100);
		expect((await status(id)).data).toMatchObject({ status: 'in_progress', progress: 0.99 });
		expect((await pollToEnd(id)).last.status).toBe('completed');
	});
});

describe('jitter', () => {
	it('varies durations within +- jitterMs, the same way on every start', async () => {
		const durations: number[][] = [];
		for (let run = 0; run < 2; run++) {
			const own = await startSimulator({ taskDurationMs: 1000, jitterMs: 100 });
			const ownApi = axios.create({ baseURL: own.url, headers: { Authorization: `Bearer ${own.apiKey}` } });
			const runDurations: number[] = [];
			for (let i = 0; i < 4; i++) {
				const { data } = await ownApi.post<TaskBody>(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait', image_input: fixtureUrl, ...SMALL }));
				const task = own.task(data.id);
				runDurations.push(Math.round((task?.completesAt ?? 0) - (task?.createdAt ?? 0)));
			}
			await own.close();
			durations.push(runDurations);
		}
		expect(durations[0]).toEqual(durations[1]);
		expect(new Set(durations[0]).size).toBeGreaterThan(1);
		expect(durations[0].every((ms) => ms >= 900 && ms <= 1100)).toBe(true);
	});
});

describe('task-time distribution', () => {
	async function drawn(count: number): Promise<number[]> {
		const ids: string[] = [];
		// A missing input: the task is drawn all the same, without image work slowing the next tests.
		for (let i = 0; i < count; i++) ids.push(await createOk({ image_input: `${sim.url}/fixtures/missing.jpg` }));
		return ids.map((id) => {
			const task = sim.task(id);
			return Math.round((task?.completesAt ?? 0) - (task?.createdAt ?? 0));
		});
	}

	afterEach(() => sim.configure({ taskTimeSpread: undefined, taskTimeSeed: undefined }));

	// First: the missing inputs of the tests below are still being fetched for a while, and would take the fixture fault.
	it('reports when the status really turned completed, later than the duration when the picture lagged', async () => {
		sim.configure({ taskDurationMs: 0 });
		sim.injectFault({ route: 'fixture', kind: 'delay', delayMs: 300 });
		const id = await createOk();
		expect(sim.task(id)?.finishedAt).toBeUndefined();
		await pollToEnd(id);
		const task = sim.task(id);
		expect(task?.finishedAt).toBeGreaterThanOrEqual((task?.createdAt ?? 0) + 300);
		// No read saw it done before finishedAt.
		const reads = sim.requestsTo('status').filter((request) => request.taskId === id);
		const firstDone = reads.find((request) => request.at >= (task?.finishedAt ?? Infinity));
		expect(firstDone).toBe(reads[reads.length - 1]);
	});

	it('draws each task within mean +- spread, and the same batch again after reseeding', async () => {
		sim.configure({ taskDurationMs: 10_000, taskTimeSpread: 0.2, taskTimeSeed: 7 });
		const first = await drawn(20);
		sim.configure({ taskTimeSeed: 7 });
		expect(await drawn(20)).toEqual(first);
		expect(first.every((ms) => ms >= 8000 && ms <= 12_000)).toBe(true);
		// Spread over the range, not bunched: both thirds beside the mean are hit.
		expect(first.some((ms) => ms < 9300) && first.some((ms) => ms > 10_700)).toBe(true);
		sim.configure({ taskTimeSeed: 8 });
		expect(await drawn(20)).not.toEqual(first);
	});

	it("takes an outcome's duration over the draw, for an outlier", async () => {
		sim.configure({ taskDurationMs: 10_000, taskTimeSpread: 0.2, taskTimeSeed: 7 });
		const plain = await drawn(3);
		sim.configure({ taskTimeSeed: 7 });
		sim.setNextTaskOutcomes({ kind: 'complete' }, { kind: 'complete', durationMs: 30_000 });
		const withOutlier = await drawn(3);
		expect(withOutlier[1]).toBe(30_000);
		// The outlier does not consume a draw: the task after it is drawn as the second one was.
		expect(withOutlier[0]).toBe(plain[0]);
		expect(withOutlier[2]).toBe(plain[1]);
	});
});

async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
	const [rawA, rawB] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
	let total = 0;
	for (let i = 0; i < rawA.length; i++) total += Math.abs(rawA[i] - rawB[i]);
	return total / rawA.length;
}

describe('outcomes', () => {
	it('fails the next tasks as queued, with the document message or a given one, then completes again', async () => {
		sim.setNextTaskOutcomes({ kind: 'fail', code: '003010095' }, { kind: 'fail', code: '003010098', message: 'Poller lost' });
		const [first, second, third] = [await createOk(), await createOk(), await createOk()];
		const one = (await pollToEnd(first)).last;
		expect(one.status).toBe('failed');
		expect(one.error).toEqual({ code: '003010095', error_message: 'Internal generation error' });
		expect(one.output).toBeUndefined();
		expect(one.usage).toBeUndefined();
		expect((await pollToEnd(second)).last.error).toEqual({ code: '003010098', error_message: 'Poller lost' });
		expect((await pollToEnd(third)).last.status).toBe('completed');
	});

	it("'never' stays in progress long after the duration", async () => {
		sim.setNextTaskOutcomes({ kind: 'never' });
		const id = await createOk();
		await sleep(DURATION_MS * 2);
		expect((await status(id)).data.status).toBe('in_progress');
		expect(sim.task(id)?.outcome).toEqual({ kind: 'never' });
	});
});

describe('bad inputs fail the task with the document codes', () => {
	it.each([
		['large.jpg', '003010002', '5 MB'],
		['huge.png', '003010002', '4096'],
		['image.gif', '003010003', 'JPG/JPEG/PNG'],
		['image.webp', '003010003', 'JPG/JPEG/PNG'],
		['not-an-image.txt', '003010003', 'JPG/JPEG/PNG'],
		['missing.jpg', '003010097', 'HTTP error response'],
	])('%s', async (name, code, mention) => {
		const id = await createOk({ image_input: `${sim.url}/fixtures/generated/${name}` });
		const { last } = await pollToEnd(id);
		expect(last.status).toBe('failed');
		expect(last.error?.code).toBe(code);
		expect(last.error?.error_message).toContain(mention);
	});

	it('serves the generated inputs with their real content types, the large one over 5 MB', async () => {
		const expected: Record<string, string> = {
			'large.jpg': 'image/jpeg',
			'huge.png': 'image/png',
			'image.gif': 'image/gif',
			'image.webp': 'image/webp',
			'not-an-image.txt': 'text/plain; charset=utf-8',
		};
		for (const [name, type] of Object.entries(expected)) {
			const response = await download(`${sim.url}/fixtures/generated/${name}`);
			expect([name, response.status, response.headers['content-type']]).toEqual([name, 200, type]);
			if (name === 'large.jpg') {
				expect(response.data.length).toBeGreaterThan(5 * 1024 * 1024);
				expect((await sharp(response.data).metadata()).format).toBe('jpeg');
			}
			if (name === 'huge.png') expect((await sharp(response.data).metadata()).width).toBe(4100);
		}
		expect((await download(`${sim.url}/fixtures/..%2Fserver.ts`)).status).toBe(404);
	});

	it('fails with 003010097 when the input host cannot be reached', async () => {
		const closed = await startSimulator();
		const deadUrl = `${closed.url}/fixtures/portrait.jpg`;
		await closed.close();
		const { last } = await pollToEnd(await createOk({ image_input: deadUrl }));
		expect(last.error?.code).toBe('003010097');
	});
});

describe('faults', () => {
	it("'delay' waits, then answers normally", async () => {
		sim.injectFault({ route: 'status', kind: 'delay', delayMs: 250 });
		const started = Date.now();
		const response = await status('task_unknown');
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(response.status).toBe(404);
	});

	it("'http' answers the given code and Retry-After without creating a task, FIFO and counted", async () => {
		sim.injectFault({ route: 'create', kind: 'http', statusCode: 503, retryAfterSeconds: 2, times: 2 });
		sim.injectFault({ route: 'create', kind: 'http', statusCode: 429 });
		const codes: number[] = [];
		for (let i = 0; i < 4; i++) {
			const response = await create();
			codes.push(response.status);
			if (i === 0) {
				expect(response.headers['retry-after']).toBe('2');
				expect(response.data).toMatchObject({ error: { code: '503' } });
			}
		}
		expect(codes).toEqual([503, 503, 429, 200]);
		expect(sim.requestsTo('create').map((request) => request.taskId !== undefined)).toEqual([false, false, false, true]);
	});

	it("'http' with process:true creates the task the client never hears about", async () => {
		// Pending for seconds, so a busy machine cannot see it move on before the check.
		sim.configure({ taskDurationMs: 20_000 });
		sim.injectFault({ route: 'create', kind: 'http', statusCode: 502, process: true, body: { message: 'bad gateway' } });
		const response = await create();
		expect(response.status).toBe(502);
		expect(response.data).toEqual({ message: 'bad gateway' });
		const taskId = sim.requestsTo('create')[0].taskId;
		expect(taskId).toMatch(/^task_/);
		expect(sim.task(taskId ?? '')?.status).toBe('pending');
	});

	it("'drop' closes the socket without an answer; with process:true the task exists", async () => {
		sim.injectFault({ route: 'create', kind: 'drop' });
		sim.injectFault({ route: 'create', kind: 'drop', process: true });
		await expect(create()).rejects.toThrow();
		await expect(create()).rejects.toThrow();
		const [plain, processed] = sim.requestsTo('create');
		expect(plain.taskId).toBeUndefined();
		expect(plain.statusCode).toBeUndefined();
		expect(sim.task(processed.taskId ?? '')).toBeDefined();
	});

	it("'malformed' answers 200 with truncated JSON", async () => {
		sim.injectFault({ route: 'status', kind: 'malformed' });
		const response = await api.get<string>('/model/v1/generation/task/task_x', { transformResponse: (data: string) => data });
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toContain('application/json');
		expect(response.data).toBe(MALFORMED_JSON);
		expect(() => JSON.parse(response.data) as unknown).toThrow();
	});

	it("'hang' never answers, and close() still ends at once", async () => {
		const own = await startSimulator();
		own.injectFault({ route: 'any', kind: 'hang', times: Infinity });
		const hung = axios.get(`${own.url}/fixtures/portrait.jpg`, { timeout: 150 });
		await expect(hung).rejects.toMatchObject({ code: 'ECONNABORTED' });
		const stillHung = axios.get(`${own.url}/fixtures/portrait.jpg`).catch((error: unknown) => error);
		await sleep(50);
		const started = Date.now();
		await own.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await stillHung).toBeInstanceOf(Error);
	});

	it('taskId-bound faults hit only that task; download faults hit the CDN', async () => {
		const id = await createOk();
		sim.injectFault({ route: 'status', taskId: id, kind: 'http', statusCode: 500 });
		sim.injectFault({ route: 'download', kind: 'http', statusCode: 404 });
		expect((await status('task_other')).status).toBe(404);
		expect((await status(id)).status).toBe(500);
		const { last } = await pollToEnd(id);
		const url = last.output?.[0].content[0].url ?? '';
		expect((await download(url)).status).toBe(404);
		expect((await download(url)).status).toBe(200);
	});

	it("'redirect' answers its status and Location, without following or creating anything", async () => {
		sim.injectFault({ route: 'create', kind: 'redirect', statusCode: 307, location: 'http://localhost:1/elsewhere' });
		const response = await api.post(CREATE_PATH, {}, { maxRedirects: 0 });
		expect(response.status).toBe(307);
		expect(response.headers.location).toBe('http://localhost:1/elsewhere');
		expect(sim.requestsTo('create')[0].taskId).toBeUndefined();
		expect(() => sim.injectFault({ route: 'status', kind: 'redirect' })).toThrow('fault.location is required');
	});

	it('the second listener records every request with its headers and answers what it is told', async () => {
		const other = await startRecorder({ status: 401, contentType: 'text/html', body: '<html>no</html>' });
		try {
			const response = await axios.get<string>(`http://localhost:${other.port}/x?y=1`, { headers: { Authorization: 'Bearer k' }, validateStatus: () => true });
			expect(response).toMatchObject({ status: 401, data: '<html>no</html>' });
			expect(other.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/x?y=1' })]);
			expect(other.withAuthorization()).toHaveLength(1);
		} finally {
			await other.close();
		}
	});
});

describe('endless inputs', () => {
	it.each([
		['endless', '2000000'],
		['endless-chunked', undefined],
	])('%s streams a JPEG start and the exact byte count, Content-Length %s', async (name, length) => {
		const response = await download(`${sim.url}/fixtures/${name}/2000000.jpg`);
		expect(response.status).toBe(200);
		expect(response.headers['content-length']).toBe(length);
		expect(response.data).toHaveLength(2_000_000);
		expect([...response.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
	});
});

describe('response variants', () => {
	it('envelope shape with alternate words', async () => {
		sim.configure({ responseShape: 'envelope', statusWords: 'alternate' });
		const created = await api.post<Envelope<Record<string, unknown>>>(CREATE_PATH, vtrixBody({
			model: 'spark_edit_portrait',
			image_input: fixtureUrl,
			...SMALL,
		}));
		expect(created.data).toMatchObject({ code: 0, message: 'ok', data: { status: 'queued', model: 'spark_edit_portrait' } });
		expect(created.data.data.id).toBeUndefined();
		const taskId = String(created.data.data.task_id);
		const seen: string[] = [String(created.data.data.status)];
		let last: Record<string, unknown> = {};
		for (let i = 0; i < 200 && seen[seen.length - 1] !== 'succeeded'; i++) {
			last = (await api.get<Envelope<Record<string, unknown>>>(`/model/v1/generation/task/${taskId}`)).data.data;
			if (seen[seen.length - 1] !== last.status) seen.push(String(last.status));
			await sleep(15);
		}
		expect(seen).toEqual(['queued', 'running', 'succeeded']);
		expect(last).toHaveProperty('output');

		const rejected = await api.post<Envelope<unknown>>(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait' }));
		expect(rejected.status).toBe(400);
		expect(rejected.data).toEqual({
			code: '003010001',
			message: 'Missing image input',
			data: { status: 'error', error: { code: '003010001', error_message: 'Missing image input' } },
		});
		sim.setNextTaskOutcomes({ kind: 'fail', code: '003010095' });
		const failing = (await api.post<Envelope<{ task_id: string }>>(CREATE_PATH, vtrixBody({ model: 'spark_edit_portrait', image_input: fixtureUrl, ...SMALL })))
			.data.data.task_id;
		await sleep(DURATION_MS + 50);
		expect((await api.get<Envelope<TaskBody>>(`/model/v1/generation/task/${failing}`)).data.data).toMatchObject({
			status: 'error',
			error: { code: '003010095' },
		});
	});

	it('rate limits over a sliding second with Retry-After: 1', async () => {
		sim.configure({ rateLimitPerSecond: 3 });
		const codes: number[] = [];
		for (let i = 0; i < 5; i++) codes.push((await status('task_x')).status);
		expect(codes).toEqual([404, 404, 404, 429, 429]);
		const limited = await status('task_x');
		expect(limited.headers['retry-after']).toBe('1');
		expect(limited.data).toEqual({ error: { code: '429', error_message: 'Rate limit exceeded' } });
		// Fixtures and the CDN are not the API and are never limited.
		expect((await download(fixtureUrl)).status).toBe(200);
		await sleep(1050);
		expect((await status('task_x')).status).toBe(404);
	});

	it.each([
		['x-ratelimit', { 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '1' }, { 'x-ratelimit-remaining': '0' }],
		['ratelimit', { 'ratelimit-limit': '3', 'ratelimit-remaining': '2', 'ratelimit-reset': '1', 'ratelimit-policy': '3;w=1' }, { 'ratelimit-remaining': '0' }],
	] as const)('announces the limit in %s headers when asked, on answers and on 429s', async (style, first, limited) => {
		sim.configure({ rateLimitPerSecond: 3, rateLimitHeaders: style });
		expect((await status('task_x')).headers).toMatchObject(first);
		await status('task_x');
		await status('task_x');
		const refused = await status('task_x');
		expect(refused.status).toBe(429);
		expect(refused.headers).toMatchObject({ ...limited, 'retry-after': '1' });
	});
});

describe('control API over HTTP', () => {
	it('queues faults and outcomes, configures, lists requests and resets', async () => {
		const control = axios.create({ baseURL: `${sim.url}/__sim`, validateStatus: () => true });
		expect((await control.post('/faults', [{ route: 'status', kind: 'http', statusCode: 503, times: 'Infinity' }])).status).toBe(200);
		expect((await status('task_x')).status).toBe(503);
		expect((await status('task_x')).status).toBe(503);
		expect((await control.post('/faults', { route: 'nowhere', kind: 'http' })).status).toBe(400);

		expect((await control.post('/reset')).status).toBe(200);
		expect((await status('task_x')).status).toBe(404);

		await control.post('/outcomes', [{ kind: 'fail', code: '003010099' }]);
		await control.post('/configure', { taskDurationMs: 50, statusWords: 'alternate' });
		expect(sim.options.taskDurationMs).toBe(50);
		const id = await createOk();
		await sleep(100);
		expect((await status(id)).data).toMatchObject({ status: 'error', error: { code: '003010099', error_message: 'Task creation error' } });
		expect((await control.post('/configure', { port: 1 })).status).toBe(400);

		const task = await control.get<{ id: string; outcome: unknown }>(`/tasks/${id}`);
		expect(task.data).toMatchObject({ id, outcome: { kind: 'fail', code: '003010099' } });

		const listed = await control.get<Array<{ route: string; taskId?: string; statusCode?: number; body?: unknown }>>('/requests');
		const routes = listed.data.map((request) => request.route);
		// reset cleared everything before it, its own record included.
		expect(routes).toEqual(['status', 'control', 'control', 'create', 'fixture', 'status', 'control', 'control', 'control']);
		expect(listed.data[3]).toMatchObject({ taskId: id, statusCode: 200, body: { model: 'spark_edit_portrait' } });
		expect(sim.requestsTo('status').every((request) => request.route === 'status')).toBe(true);
		expect(sim.requestsTo('control')).toHaveLength(5);
	});
});
