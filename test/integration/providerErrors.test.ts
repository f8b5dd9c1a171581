/**
 * Issue 18 part 5: a create refused for a reason the user can fix in the credential says which
 * setting is wrong and what Vtrix's value is, against the simulator over real HTTP.
 */
import { credentialFor, errorDescription as description, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

async function editPortrait(credential: Record<string, string> = {}) {
	const sim = simulator();
	return await runSpark(sim, {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(sim), options: { downloadImage: false } },
		credential: credentialFor(sim, credential),
	});
}

describe('a create path that is not Vtrix\'s', () => {
	it.each([
		['404, an old path', { createTaskPath: '/v1/portrait/tasks' }, 404],
		['405, the status path', { createTaskPath: '/model/v1/generation/task/x' }, 405],
	])('%s: names the Create Task Path or Base URL and Vtrix\'s path, not the parameters', async (_name, credential, statusCode) => {
		const result = await editPortrait(credential);
		expect(simulator().requestsTo('create')).toHaveLength(0);
		expect(result.error?.message).toBe(`The Vtrix API answered ${statusCode} to the create request: the Create Task Path or the Base URL is wrong`);
		expect(description(result)).toContain("Vtrix's is POST https://cloud.vtrix.ai/model/v1/generation");
		expect(description(result)).toContain(`went to ${simulator().url}${credential.createTaskPath}`);
		expect(description(result)).not.toContain('Check the parameters');
	});
});

it('a 403 says what Vtrix means by it: insufficient balance or no permission', async () => {
	simulator().injectFault({ route: 'create', kind: 'http', statusCode: 403, body: { message: 'Insufficient balance' } });
	const result = await editPortrait();
	expect(result.error?.message).toBe('The Vtrix API refused the request (403 Forbidden): insufficient balance or no permission: Insufficient balance');
	expect(description(result)).toContain('balance is too low or the key may not use this model');
});

describe('a 400 about the body\'s shape suggests the other Request Format', () => {
	it('flat fields where Vtrix wants its client\'s shape: suggests "Vtrix Client"', async () => {
		const result = await editPortrait({ requestFormat: 'flat' });
		expect(result.error?.message).toContain("The Vtrix API refused the create request's body (400)");
		expect(result.error?.message).toContain("missing 'input'");
		expect(description(result)).toContain('sent in the "Flat Fields" Request Format');
		expect(description(result)).toContain('Set Request Format to "Vtrix Client"');
	});

	it('Vtrix\'s client\'s shape where the API wants flat fields: suggests "Flat Fields"', async () => {
		simulator().configure({ acceptFormats: 'flat' });
		const result = await editPortrait();
		expect(result.error?.message).toContain("unknown parameter 'input'");
		expect(description(result)).toContain('Set Request Format to "Flat Fields"');
	});

	it('a "Missing image input" although the node always sends the image counts as a shape complaint', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, body: { error: { code: '003010001', error_message: 'Missing image input' } } });
		const result = await editPortrait();
		expect(description(result)).toContain('Set Request Format to "Flat Fields"');
	});

	it('a 400 about a value does not', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, body: { error: { code: '003010002', error_message: 'width must be 512-2048' } } });
		const result = await editPortrait();
		expect(result.error?.message).toBe('Vtrix API error 003010002: Invalid parameter (width must be 512-2048)');
		expect(description(result)).not.toContain('Request Format');
	});
});

it('both Request Formats edit a portrait end to end against a simulator that takes both', async () => {
	simulator().configure({ acceptFormats: 'both' });
	for (const requestFormat of ['vtrixClient', 'flat']) {
		const result = await editPortrait({ requestFormat });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
	}
	const [wrapped, flat] = simulator().requestsTo('create');
	expect(wrapped.body).toHaveProperty('input');
	expect(flat.body).not.toHaveProperty('input');
	expect(wrapped.fields).toStrictEqual(flat.fields);
});
