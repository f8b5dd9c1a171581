/**
 * The credential's Test request over real HTTP, through the harness's copy of n8n's tester (n8n-core
 * 2.41): it fails for every answer that means the key or the Base URL cannot work, and creates
 * nothing. test/e2e/trust.test.ts proves the same rows through n8n's own REST call, 1.x and 2.x.
 */
import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { testCredential } from '../harness';
import type { RecorderReply } from '../simulator';
import { credentialFor, useTestRecorder, useTestSimulator } from '../support/sparkRun';
import { freePort } from '../e2e/support/n8n-env';

jest.setTimeout(30_000);

const simulator = useTestSimulator();
const other = useTestRecorder();

const test = (overrides: Record<string, string> = {}) => testCredential(new SparkPortraitVtrixApi(), credentialFor(simulator(), overrides));

it('a good key: success, one status read, no task', async () => {
	await expect(test()).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(simulator().requestsTo('create')).toHaveLength(0);
	expect(simulator().requestsTo('status')).toHaveLength(1);
});

it.each<[string, RecorderReply, string]>([
	['401 with an error code', { status: 401, contentType: 'application/json', body: '{"error":{"code":"401","error_message":"bad key"}}' }, 'rejected this API key (401'],
	['401 with an empty body', { status: 401, contentType: 'application/json', body: '' }, 'rejected this API key (401'],
	['401 with an HTML body', { status: 401, contentType: 'text/html', body: '<html>Unauthorized</html>' }, 'rejected this API key (401'],
	['403 with a JSON body without a code', { status: 403, contentType: 'application/json', body: '{"message":"Forbidden"}' }, 'refused this API key (403 Forbidden): Vtrix answers 403 when the balance is insufficient'],
	['500', { status: 500, contentType: 'application/json', body: '{"message":"oops"}' }, 'Internal Server Error'],
	['a web page (200 HTML)', { status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html></html>' }, 'web page'],
	['200 with an empty body', { status: 200, contentType: 'text/plain', body: '' }, 'empty body'],
])('fails for %s', async (_name, reply, message) => {
	other().setReply(reply);
	await expect(test({ baseUrl: other().url })).resolves.toEqual({ status: 'Error', message: expect.stringContaining(message) });
	// n8n sends a request refused with 401 once more (its pre-authentication retry): never elsewhere.
	expect(other().requests.length).toBeGreaterThanOrEqual(1);
	expect(other().requests.every((r) => r.path === '/model/v1/generation/task/n8n-credential-test-00000000')).toBe(true);
});

it('fails for an unreachable Base URL', async () => {
	await expect(test({ baseUrl: `http://127.0.0.1:${await freePort()}` })).resolves.toEqual({ status: 'Error', message: 'ECONNREFUSED' });
});
