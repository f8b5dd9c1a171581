/**
 * The API credential's form asks for the key alone; the endpoint fields appear behind the Custom
 * Endpoint toggle, and n8n hands the node only what the form shows (its getNodeParameters, the same
 * call the CLI and this harness make). A credential saved before the toggle existed, with its own
 * Base URL, paths and Request Format, must go on working unchanged. Each case runs the node (or the
 * Test button) over real HTTP against the simulator serving those paths.
 */
import { NodeHelpers, type ICredentialDataDecryptedObject, type INodeParameters } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { resolveEndpoints } from '../../nodes/SparkPortrait/api/endpoints';
import { testCredential } from '../harness';
import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(30_000);

const OTHER_CREATE = '/gateway/tasks';
const OTHER_STATUS = '/gateway/tasks/{taskId}/state';
const simulator = useTestSimulator();

const credentialType = new SparkPortraitVtrixApi();

/** What n8n passes to the node for stored data: defaults filled in, fields the form hides dropped. */
function asN8nPassesIt(stored: INodeParameters): Record<string, unknown> {
	return NodeHelpers.getNodeParameters(credentialType.properties, stored, true, false, null, null) ?? {};
}

/** The form's fields a new user sees: what n8n would show for a credential with these values. */
function shownFields(values: INodeParameters): string[] {
	const filled = NodeHelpers.getNodeParameters(credentialType.properties, values, true, true, null, null) ?? {};
	return credentialType.properties
		.filter((property) => property.type !== 'hidden')
		.filter((property) => NodeHelpers.displayParameter(filled, property, null, null))
		.map((property) => property.displayName);
}

function gatewaySimulator(): void {
	simulator().configure({ createPath: OTHER_CREATE, statusPath: OTHER_STATUS, acceptFormats: 'flat' });
}

const edit = { operation: 'createAndWait', prompt: 'studio light', options: { downloadImage: false } };

/** Runs Edit Portrait with the credential as n8n stored it; the harness hands it over as n8n does. */
async function editWith(stored: Record<string, unknown>) {
	return await runSpark(simulator(), { parameters: { ...edit, imageUrl: fixtureUrl(simulator()) }, credential: stored as ICredentialDataDecryptedObject });
}

describe('the form', () => {
	it('shows the key (and the toggle) only, until Custom Endpoint is on', () => {
		expect(shownFields({})).toEqual(['Get an API key on vtrix.ai: Settings → API Keys (https://vtrix.ai/settings?tab=api-keys). The key is all you need.', 'API Key', 'Custom Endpoint']);
		expect(shownFields({ customEndpoint: true })).toEqual([
			expect.stringContaining('Get an API key'),
			'API Key',
			'Custom Endpoint',
			'Base URL',
			'Request Format',
			'Create Task Path',
			'Task Status Path',
		]);
	});

	it('says so when a credential saved earlier still uses its own Base URL', () => {
		expect(shownFields({ baseUrl: 'https://gateway.example' })).toContainEqual(expect.stringContaining('saved by an earlier version with its own Base URL'));
		expect(shownFields({ baseUrl: 'https://cloud.vtrix.ai' })).not.toContainEqual(expect.stringContaining('earlier version'));
		expect(shownFields({ baseUrl: 'https://gateway.example', customEndpoint: true })).not.toContainEqual(expect.stringContaining('earlier version'));
	});

	it('a new credential, the key alone: Vtrix\'s address, paths and Request Format', () => {
		const endpoints = resolveEndpoints(asN8nPassesIt({ apiKey: 'k' }));
		expect(endpoints.createTaskUrl).toBe('https://cloud.vtrix.ai/model/v1/generation');
		expect(endpoints.taskStatusUrl('t1')).toBe('https://cloud.vtrix.ai/model/v1/generation/task/t1');
		expect(endpoints.requestFormat).toBe('vtrixClient');
	});

	it('custom fields left behind with the toggle turned off are not used', () => {
		const stored = { apiKey: 'k', customEndpoint: false, customBaseUrl: 'https://gateway.example', customRequestFormat: 'flat' };
		expect(asN8nPassesIt(stored)).not.toHaveProperty('customBaseUrl');
		const endpoints = resolveEndpoints(asN8nPassesIt(stored));
		expect(endpoints.createTaskUrl).toBe('https://cloud.vtrix.ai/model/v1/generation');
		expect(endpoints.requestFormat).toBe('vtrixClient');
	});
});

/** The Test button's address for stored data, its expressions read as plain JavaScript (n8n's engine runs the same text). */
function testAddress(stored: INodeParameters): string {
	const credentials = asN8nPassesIt(stored);
	const { baseURL, url } = credentialType.test.request as { baseURL: string; url: string };
	const evaluate = (expression: string) => new Function('$credentials', `return ${expression.slice(3, -2)}`)(credentials) as string;
	return `${evaluate(baseURL)}${evaluate(url)}`;
}

it("the Test button of a new credential, the key alone, reads Vtrix's address", () => {
	expect(testAddress({ apiKey: 'k' })).toBe('https://cloud.vtrix.ai/model/v1/generation/task/n8n-credential-test-00000000');
	expect(testAddress({ apiKey: 'k', baseUrl: '', taskStatusPath: '' })).toBe('https://cloud.vtrix.ai/model/v1/generation/task/n8n-credential-test-00000000');
	expect(testAddress({ apiKey: 'k', customEndpoint: true, customBaseUrl: 'http://gw.example/', customTaskStatusPath: '/t/{taskId}' })).toBe(
		'http://gw.example/t/n8n-credential-test-00000000',
	);
});

describe('against a gateway on other paths that takes flat fields only', () => {
	it('a credential saved before the toggle (Base URL, paths, Request Format) works unchanged', async () => {
		gatewaySimulator();
		const stored = { apiKey: simulator().apiKey, baseUrl: simulator().url, requestFormat: 'flat', createTaskPath: OTHER_CREATE, taskStatusPath: OTHER_STATUS };
		const result = await editWith(stored);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		const [create] = simulator().requestsTo('create');
		expect(create.path).toBe(OTHER_CREATE);
		expect(create.body).toMatchObject({ model: 'spark_edit_portrait', prompt: 'studio light' });
	});

	it('the same endpoint behind Custom Endpoint works', async () => {
		gatewaySimulator();
		const stored = {
			apiKey: simulator().apiKey,
			customEndpoint: true,
			customBaseUrl: simulator().url,
			customRequestFormat: 'flat',
			customCreateTaskPath: OTHER_CREATE,
			customTaskStatusPath: OTHER_STATUS,
		};
		const result = await editWith(stored);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(simulator().requestsTo('create')[0].path).toBe(OTHER_CREATE);
	});

	it.each([
		['saved before the toggle', { baseUrl: 'SIM', taskStatusPath: OTHER_STATUS }],
		['behind Custom Endpoint', { customEndpoint: true, customBaseUrl: 'SIM', customTaskStatusPath: OTHER_STATUS }],
	])('the Test button reads the status path of a credential %s', async (_name, fields) => {
		gatewaySimulator();
		const data = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value === 'SIM' ? simulator().url : value]));
		await expect(testCredential(credentialType, { apiKey: simulator().apiKey, ...data })).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(simulator().requestsTo('status').map((request) => request.path)).toEqual(['/gateway/tasks/n8n-credential-test-00000000/state']);
	});
});
