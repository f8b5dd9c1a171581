/**
 * The API key goes only to the API's own origin. Redirects to another origin (another port, or
 * another host name for the same server: localhost vs 127.0.0.1) on create, status, download and
 * the credential test, over real HTTP; a second listener records what arrives there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { testCredential } from '../harness';
import type { FaultSpec } from '../simulator';
import { API_KEY, credentialFor, errorDescription as description, everyText, fixtureUrl, runSpark, useTestRecorder, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();
const other = useTestRecorder({ status: 200, contentType: 'application/json', body: '{"id":"elsewhere","status":"pending"}' });

/** Requests that reached the simulator under another host name than the Base URL's. */
const viaOtherHostName = () => simulator().requests.filter((r) => !String(r.headers.host).startsWith('127.0.0.1:'));

async function editPortrait(fault: FaultSpec) {
	simulator().injectFault(fault);
	const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), options: { requestTimeout: 5 } } });
	expect(everyText(result)).not.toContain(API_KEY);
	return result;
}

/** Where a redirect may point: the second listener, or the simulator itself under the name localhost. */
const targets = (): Array<[string, string]> => [
	['another port', `${other().url}/model/v1/generation/moved`],
	['another host name (localhost)', `http://localhost:${simulator().port}/model/v1/generation/moved`],
];

describe('a status read redirected to another origin', () => {
	it.each([0, 1])('is not followed, the key arrives nowhere else, and the error names both hosts and the task (%#)', async (index) => {
		const [, location] = targets()[index];
		const result = await editPortrait({ route: 'status', kind: 'redirect', statusCode: 302, location });
		const taskId = simulator().requestsTo('create')[0].taskId as string;
		expect(result.error?.message).toContain('redirected the status request (302)');
		expect(result.error?.message).toContain(new URL(location).host);
		expect(description(result)).toContain(`only ever sent to the Base URL's own host (127.0.0.1:${simulator().port})`);
		expect(description(result)).toContain(`Task ID: ${taskId}`);
		expect(other().requests).toHaveLength(0);
		expect(viaOtherHostName()).toHaveLength(0);
	});
});

describe('a create redirected anywhere', () => {
	it.each([307, 308, 302])('is never sent again (%i to another port): one create, nothing at the other host', async (statusCode) => {
		const result = await editPortrait({ route: 'create', kind: 'redirect', statusCode, location: `${other().url}/model/v1/generation` });
		expect(result.error?.message).toContain(`answered the create request with a redirect (${statusCode}) to 127.0.0.1:${other().port}`);
		expect(description(result)).toContain(`sent to 127.0.0.1:${simulator().port} only, never re-sent`);
		expect(simulator().requestsTo('create')).toHaveLength(1);
		expect(other().requests).toHaveLength(0);
	});

	it('is not re-sent under another host name either', async () => {
		const result = await editPortrait({ route: 'create', kind: 'redirect', statusCode: 307, location: `http://localhost:${simulator().port}/model/v1/generation` });
		expect(result.error?.message).toContain(`redirect (307) to localhost:${simulator().port}`);
		expect(simulator().requestsTo('create')).toHaveLength(1);
		expect(viaOtherHostName()).toHaveLength(0);
	});

	it('is not re-sent even to the same origin', async () => {
		const result = await editPortrait({ route: 'create', kind: 'redirect', statusCode: 308, location: '/model/v1/generation?again=1' });
		expect(result.error?.message).toContain('answered the create request with a redirect (308)');
		expect(simulator().requestsTo('create')).toHaveLength(1);
	});
});

describe('redirects the node follows', () => {
	it('a status read redirected within the API origin: followed, with the key, and the task completes', async () => {
		const result = await editPortrait({ route: 'status', kind: 'redirect', statusCode: 301, location: '?moved=1' });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		const moved = simulator().requestsTo('status').filter((r) => r.path.endsWith('?moved=1'));
		expect(moved).toHaveLength(1);
		expect(moved[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(viaOtherHostName()).toHaveLength(0);
	});

	it('a result download redirected to another host: followed, and it never carried the key', async () => {
		other().setReply({ status: 200, contentType: 'image/jpeg', body: readFileSync(path.join(__dirname, '../simulator/fixtures/portrait.jpg')) });
		const result = await editPortrait({ route: 'download', kind: 'redirect', statusCode: 302, location: `${other().url}/cdn/elsewhere.jpg` });
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.mimeType).toBe('image/jpeg');
		expect(other().requests.map((r) => r.path)).toEqual(['/cdn/elsewhere.jpg']);
		expect(other().withAuthorization()).toHaveLength(0);
		expect(simulator().requestsTo('download')[0].headers.authorization).toBeUndefined();
	});
});

describe('the credential test', () => {
	it.each([0, 1])('redirected to another origin: fails, and the key arrives nowhere else (%#)', async (index) => {
		const [, location] = targets()[index];
		simulator().injectFault({ route: 'status', kind: 'redirect', statusCode: 302, location });
		const outcome = await testCredential(new SparkPortraitVtrixApi(), credentialFor(simulator()));
		expect(outcome).toMatchObject({ status: 'Error', message: expect.stringContaining('answered with a redirect') });
		expect(simulator().requestsTo('status')).toHaveLength(1);
		expect(other().requests).toHaveLength(0);
		expect(viaOtherHostName()).toHaveLength(0);
	});
});
