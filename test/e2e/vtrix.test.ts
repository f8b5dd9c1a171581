/**
 * Issue 18 part 7: in real n8n (1.123.x and 2.41.x), the Vtrix API credential at its defaults (only
 * the key and the Base URL set) and with each Request Format drives Edit Portrait, Create Task and
 * Get Task Status against a simulator that, like Vtrix, takes only Vtrix's paths and one body shape.
 * The bytes of each create are asserted, so the default shape cannot drift from Vtrix's client's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startSimulator, type AcceptedFormats, type SimulatorHandle } from '../simulator';
import { nodeOutput, type N8nVersionKey } from './support/n8n';
import { sharedN8n } from './support/shared-n8n';
import type { WorkflowRunner } from './support/workflow-runner';

jest.setTimeout(180_000);

const API_KEY = 'e2e-vtrix-key-51c9e7a2';

let sim: SimulatorHandle;

beforeAll(async () => {
	sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: 1000 });
});

afterAll(async () => {
	await sim.close();
});

interface WorkflowJson {
	id: string;
	nodes: Array<{ name: string; credentials?: Record<string, { id: string; name: string }> }>;
}

/** A committed workflow, pointed at the simulator and at one of the two credentials. */
function workflow(name: string, credentialId: string): WorkflowJson {
	const text = readFileSync(path.join(__dirname, 'workflows', `${name}.json`), 'utf8').split('__SIM_URL__').join(sim.url);
	const parsed = JSON.parse(text) as WorkflowJson;
	parsed.id = `${parsed.id.slice(0, 12)}${credentialId.slice(0, 9)}`;
	for (const node of parsed.nodes) {
		if (node.credentials) node.credentials = { sparkPortraitVtrixApi: { id: credentialId, name: credentialId } };
	}
	return parsed;
}

/** What each Request Format puts on the wire for the create-wait-status workflow (768 x 1024, the rest defaults). */
function expectedCreate(format: 'vtrixClient' | 'flat'): string {
	const params =
		`"image_input":"${sim.url}/fixtures/portrait.jpg","width":768,"height":1024,` +
		'"gpen":0.4,"skin":0.3,"skin_unifi":0,"seed":"-1","prompt":"Concert group photo, flash photography"';
	return format === 'flat' ? `{"model":"spark_edit_portrait",${params}}` : `{"model":"spark_edit_portrait","input":[{"params":{${params}}}]}`;
}

const FORMATS: Array<[string, 'vtrixClient' | 'flat', AcceptedFormats]> = [
	['the defaults (key and Base URL only)', 'vtrixClient', 'vtrixClient'],
	['Request Format "Flat Fields"', 'flat', 'flat'],
];

describe.each<[N8nVersionKey]>([['n8n1'], ['n8n2']])('in real %s', (key) => {
	let n8n: WorkflowRunner;

	beforeAll(async () => {
		n8n = await sharedN8n(key);
		await n8n.importCredentials([
			{ id: 'vtrixDefaults', name: 'vtrixDefaults', type: 'sparkPortraitVtrixApi', data: { apiKey: API_KEY, baseUrl: sim.url } },
			{ id: 'vtrixFlat', name: 'vtrixFlat', type: 'sparkPortraitVtrixApi', data: { apiKey: API_KEY, baseUrl: sim.url, requestFormat: 'flat' } },
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	describe.each(FORMATS)('with %s', (_name, format, accept) => {
		const credentialId = format === 'flat' ? 'vtrixFlat' : 'vtrixDefaults';

		beforeEach(() => {
			sim.reset();
			// Only the shape under test is accepted: the other one would be refused with a 400.
			sim.configure({ taskDurationMs: 1000, acceptFormats: accept });
		});

		it("Create Task, Wait, Get Task Status: Vtrix's paths, the exact body, progress, then completed", async () => {
			const result = await n8n.runWorkflow(workflow('create-wait-status', credentialId));
			expect(result.exitCode).toBe(0);
			const [create] = sim.requestsTo('create');
			expect(create.path).toBe('/model/v1/generation');
			expect(create.text).toBe(expectedCreate(format));
			const [created] = nodeOutput(result.run, 'Create Task');
			expect(created.json).toMatchObject({ status: 'processing', progress: expect.any(Number) });
			// One read after the 3 s Wait, at Vtrix's status path. On a loaded machine the simulator's image work
			// can outlast the Wait, so the task may still run: then it carries progress, else it is done.
			const [status] = nodeOutput(result.run, 'Get Task Status');
			expect(sim.requestsTo('status').map((read) => read.path)).toEqual([`/model/v1/generation/task/${created.json.taskId}`]);
			expect(status.json).toMatchObject(
				status.json.status === 'completed'
					? { taskId: created.json.taskId, imageUrl: expect.stringContaining(`${sim.url}/cdn/`) }
					: { taskId: created.json.taskId, status: 'processing', progress: expect.any(Number) },
			);
		});

		it('Edit Portrait: completed with the image', async () => {
			const result = await n8n.runWorkflow(workflow('edit-defaults', credentialId));
			expect(result.exitCode).toBe(0);
			const [item] = nodeOutput(result.run, 'Edit Portrait');
			expect(item.json).toMatchObject({
				status: 'completed',
				imageUrl: expect.stringContaining(`${sim.url}/cdn/`),
				usage: { cost: '0.0300', quantity: 1, unitPrice: '0.0300', discount: 0 },
			});
			expect(item.json).not.toHaveProperty('progress');
			expect(item.binary?.data).toBeDefined();
			expect(sim.requestsTo('create').map((request) => request.statusCode)).toEqual([200]);
		});
	});
});
