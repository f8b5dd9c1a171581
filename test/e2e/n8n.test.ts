/**
 * The packed package inside real n8n (1.123.x on Node 22, 2.41.x on Node 24), each a long-lived
 * `n8n start` shared by the e2e files: credentials stored, workflows from test/e2e/workflows/ created
 * and run through n8n's public API and a webhook, outputs and errors asserted, against the simulator
 * on loopback.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import { startSimulator, type SimulatorHandle } from '../simulator';
import { executionError, nodeOutput, nodeRunEnd, type ExecuteResult, type N8nVersionKey } from './support/n8n';
import { sharedN8n } from './support/shared-n8n';
import type { WorkflowRunner } from './support/workflow-runner';

jest.setTimeout(180_000);

const API_KEY = 'e2e-secret-key-7c41f0d9';
const WRONG_KEY = 'e2e-wrong-key-93b2aa17';

let sim: SimulatorHandle;

/** Every output n8n printed in these tests, to look for the keys in. */
const printed: string[] = [];

beforeAll(async () => {
	sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: 1000 });
});

afterAll(async () => {
	await sim.close();
	const all = printed.join('\n');
	// Checked once more over everything, after every version ran.
	expect(all).not.toContain(API_KEY);
	expect(all).not.toContain(WRONG_KEY);
});

function workflow(name: string, changes: (wf: WorkflowJson) => void = () => undefined): WorkflowJson {
	const text = readFileSync(path.join(__dirname, 'workflows', `${name}.json`), 'utf8').split('__SIM_URL__').join(sim.url);
	const parsed = JSON.parse(text) as WorkflowJson;
	changes(parsed);
	return parsed;
}

interface WorkflowJson {
	id: string;
	nodes: Array<{ name: string; credentials?: Record<string, { id: string; name: string }>; parameters: Record<string, unknown> }>;
}

const creates = () => sim.requestsTo('create');

describe.each<[N8nVersionKey]>([['n8n1'], ['n8n2']])('in real %s', (key) => {
	let n8n: WorkflowRunner;

	async function run(wf: WorkflowJson): Promise<ExecuteResult> {
		const result = await n8n.runWorkflow(wf);
		printed.push(result.stdout, result.stderr);
		return result;
	}

	beforeAll(async () => {
		n8n = await sharedN8n(key);
		const credential = (id: string, name: string, apiKey: string) => ({
			id,
			name,
			type: 'sparkPortraitVtrixApi',
			data: { apiKey, baseUrl: sim.url },
		});
		await n8n.importCredentials([
			credential('sparkE2e', 'Spark API (simulator)', API_KEY),
			credential('sparkWrongKey', 'Spark API (wrong key)', WRONG_KEY),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	beforeEach(() => {
		sim.reset();
		sim.configure({ taskDurationMs: 1000 });
	});

	it('1. Edit Portrait with defaults: completed, image URL, usage and a JPEG of the requested size', async () => {
		const result = await run(workflow('edit-defaults'));
		expect(result.exitCode).toBe(0);
		const [item] = nodeOutput(result.run, 'Edit Portrait');
		expect(item.json).toMatchObject({ status: 'completed', imageUrl: expect.stringContaining(`${sim.url}/cdn/`), usage: { cost: '0.0300', discount: 0 } });
		const binary = item.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'image/jpeg', fileName: `spark-portrait-${item.json.taskId}.jpg` });
		const meta = await sharp(await n8n.readBinary(binary!)).metadata();
		expect(meta).toMatchObject({ format: 'jpeg', width: 1328, height: 1328 });
		expect(creates()[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(sim.requestsTo('download')[0].headers.authorization).toBeUndefined();
	});

	it('2. Create Task, a Wait node, then Get Task Status: completed', async () => {
		const result = await run(workflow('create-wait-status'));
		expect(result.exitCode).toBe(0);
		const [created] = nodeOutput(result.run, 'Create Task');
		expect(created.json).toMatchObject({ taskId: expect.any(String), status: 'processing', progress: expect.any(Number) });
		const [status] = nodeOutput(result.run, 'Get Task Status');
		expect(status.json).toMatchObject({ taskId: created.json.taskId, status: 'completed' });
		expect((await sharp(await n8n.readBinary(status.binary!.data)).metadata()).width).toBe(768);
		expect(creates()).toHaveLength(1);
	});

	it('3. chaining: the output URL of one edit is the input of the next', async () => {
		const result = await run(workflow('chain'));
		expect(result.exitCode).toBe(0);
		const [first] = nodeOutput(result.run, 'First Edit');
		const [second] = nodeOutput(result.run, 'Second Edit');
		expect(second.json.status).toBe('completed');
		expect(creates().map((r) => (r.fields as { image_input: string }).image_input)).toEqual([`${sim.url}/fixtures/portrait.jpg`, first.json.imageUrl]);
		expect((await sharp(await n8n.readBinary(second.binary!.data)).metadata()).height).toBe(800);
	});

	it('4. several items in one run: one output per item, pairedItem intact', async () => {
		const result = await run(workflow('several-items'));
		expect(result.exitCode).toBe(0);
		const items = nodeOutput(result.run, 'Edit Portrait');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(items.map((item) => (item.json.metadata as { width: number }).width)).toEqual([600, 700, 800, 900]);
		expect(items.map((item) => (item.json.metadata as { prompt: string }).prompt)).toEqual(['portrait of a', 'portrait of b', 'portrait of c', 'portrait of d']);
	});

	it('5a. bad input fails the execution with the field-naming message, and no create request is sent', async () => {
		const result = await run(workflow('bad-input'));
		expect(result.exitCode).toBe(1);
		expect(executionError(result.run)?.message).toContain('Width (width) must be a whole number of pixels from 512 to 2048; got 4000');
		expect(creates()).toHaveLength(0);
	});

	it('5b. with Continue On Fail the bad item becomes an error item and the others succeed', async () => {
		const result = await run(workflow('bad-input-continue'));
		expect(result.exitCode).toBe(0);
		const items = nodeOutput(result.run, 'Edit Portrait');
		expect(items.map((item) => item.json.status ?? 'error')).toEqual(['completed', 'error', 'completed']);
		expect(items[1].json.error).toContain('Width (width)');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(creates()).toHaveLength(2);
	});

	it('6a. a task that outlives the wait timeout: the task id is in the error', async () => {
		sim.setNextTaskOutcomes({ kind: 'never' });
		const result = await run(workflow('timeout-error'));
		expect(result.exitCode).toBe(1);
		const taskId = creates()[0].taskId as string;
		const error = executionError(result.run);
		expect(error?.message).toContain(`Task ${taskId} was still processing`);
		expect(error?.description).toContain('Get Task Status');
	});

	it('6b. in return mode the item carries status "timeout" and the task id', async () => {
		sim.setNextTaskOutcomes({ kind: 'never' });
		const result = await run(workflow('timeout-item'));
		expect(result.exitCode).toBe(0);
		const [item] = nodeOutput(result.run, 'Edit Portrait');
		expect(item.json).toMatchObject({ status: 'timeout', taskId: creates()[0].taskId });
	});

	it('7. a wrong API key: a clear authentication error, and the key is printed nowhere', async () => {
		const wrong = workflow('edit-defaults', (wf) => {
			wf.id = 'e2eWrongKey';
			wf.nodes[1].credentials = { sparkPortraitVtrixApi: { id: 'sparkWrongKey', name: 'Spark API (wrong key)' } };
		});
		const result = await run(wrong);
		expect(result.exitCode).toBe(1);
		expect(executionError(result.run)?.message).toContain('rejected the API key (401 Unauthorized)');
		expect(`${result.stdout}\n${result.stderr}`).not.toContain(WRONG_KEY);
		expect(creates()).toHaveLength(1);
		expect(creates()[0].statusCode).toBe(401);
	});

	it('8. Retry On Fail after a status outage longer than the node\'s own retries: one create, the task resumed', async () => {
		// Max Retries 1 gives two reads per try: the first try fails, the second resumes the task.
		sim.injectFault({ route: 'status', kind: 'http', statusCode: 500, times: 3 });
		const result = await run(workflow('retry-on-fail'));
		expect(result.exitCode).toBe(0);
		expect(creates()).toHaveLength(1);
		const [item] = nodeOutput(result.run, 'Edit Portrait');
		expect(item.json).toMatchObject({ taskId: creates()[0].taskId, status: 'completed', resumed: true, tries: 2 });
		expect(item.binary?.data).toBeDefined();
	});

	it.each([['timeout-error'], ['timeout-item']])(
		'9. Wait Timeout 3 s with status reads that hang (%s): the node is back within 4 s of the create, naming the task',
		async (name) => {
			sim.injectFault({ route: 'status', kind: 'hang', times: Infinity });
			const result = await run(workflow(name, (wf) => {
				wf.id = `${wf.id}Hang`;
				wf.nodes[1].parameters.options = { ...(wf.nodes[1].parameters.options as object), waitTimeout: 3 };
			}));
			const [create] = creates();
			expect(nodeRunEnd(result.run, 'Edit Portrait')! - create.at).toBeLessThan(4000);
			if (name === 'timeout-error') {
				expect(result.exitCode).toBe(1);
				expect(executionError(result.run)?.message).toContain(`Task ${create.taskId} was still processing`);
			} else {
				expect(result.exitCode).toBe(0);
				expect(nodeOutput(result.run, 'Edit Portrait')[0].json).toMatchObject({ taskId: create.taskId, status: 'timeout' });
			}
		},
	);
});
