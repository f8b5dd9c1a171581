import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';

import { configureHarness, getBinaryBuffer, getStoragePath, runNode, testCredential } from '../harness';
import type { RunNodeOptions } from '../harness';

// A tiny API: /me and /image need "Authorization: Bearer k"; /slow never answers.
const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
let server: Server;
let baseUrl: string;
const aborted: string[] = [];

function send(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	if (url.pathname === '/slow') {
		res.on('close', () => aborted.push(url.pathname));
		return;
	}
	if (req.headers.authorization !== 'Bearer k') {
		send(res, 401, { message: 'Invalid API key' });
		return;
	}
	if (url.pathname === '/me') {
		send(res, 200, { user: 'tester', suspended: url.searchParams.get('suspended') === '1' });
		return;
	}
	if (url.pathname === '/image') {
		if (url.searchParams.get('name') === 'missing') {
			send(res, 404, { message: 'No such image' });
			return;
		}
		res.writeHead(200, { 'content-type': 'image/png' });
		res.end(IMAGE);
		return;
	}
	send(res, 404, { message: 'Not found' });
}

const meRequest = { baseURL: '={{$credentials.baseUrl}}', url: '/me' };

const credentialType: ICredentialType = {
	name: 'harnessTestApi',
	displayName: 'Harness Test API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	},
	test: { request: meRequest },
};

const description: INodeTypeDescription = {
	displayName: 'Harness Download',
	name: 'harnessDownload',
	group: ['transform'],
	version: 1,
	description: 'Downloads an image per item',
	defaults: { name: 'Harness Download' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'harnessTestApi', required: true }],
	properties: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{ displayName: 'Path', name: 'path', type: 'string', default: '/image' },
	],
};

class HarnessDownload implements INodeType {
	description = description;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl: credentialBaseUrl } = await this.getCredentials<{ baseUrl: string }>('harnessTestApi');
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				const name = this.getNodeParameter('name', i) as string;
				const route = this.getNodeParameter('path', i) as string;
				const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'harnessTestApi', {
					method: 'GET',
					url: `${credentialBaseUrl}${route}`,
					qs: { name },
					encoding: 'arraybuffer',
				})) as Buffer;
				const data = await this.helpers.prepareBinaryData(Buffer.from(body), `${name}.png`, 'image/png');
				out.push({ json: { name, bytes: body.length }, binary: { data }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				// The request helpers already throw NodeApiError for HTTP failures.
				if (error instanceof NodeApiError) throw error;
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}

const NODE_TYPE_NAME = 'n8n-nodes-harness-test.harnessDownload';

function run(options: Partial<RunNodeOptions> = {}) {
	return runNode({
		nodeType: new HarnessDownload(),
		nodeTypeName: NODE_TYPE_NAME,
		credentialTypes: [credentialType],
		credentials: { harnessTestApi: { apiKey: 'k', baseUrl } },
		parameters: { name: '={{ $json.name }}' },
		inputItems: [{ name: 'a' }, { name: 'b' }],
		...options,
	});
}

beforeAll(async () => {
	server = createServer(handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

describe('runNode', () => {
	it('runs the node through WorkflowExecute with authenticated HTTP and binary data', async () => {
		const result = await run();

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json)).toEqual([
			{ name: 'a', bytes: IMAGE.length },
			{ name: 'b', bytes: IMAGE.length },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// 'default' binary data mode: the bytes live in the item as base64.
		expect(result.items[0].binary?.data).toMatchObject({
			fileName: 'a.png',
			mimeType: 'image/png',
			data: IMAGE.toString('base64'),
		});
		expect(result.items[0].binary?.data.id).toBeUndefined();
		expect(await getBinaryBuffer(result.items[0])).toEqual(IMAGE);
		expect(Object.keys(result.runData)).toEqual(['When clicking ‘Execute workflow’', 'Harness Download']);
	});

	it('records the NodeApiError of a failing request as the execution error', async () => {
		const result = await run({ inputItems: [{ name: 'a' }, { name: 'missing' }] });

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({
			httpCode: '404',
			message: expect.stringContaining('could not be found'),
			// An arraybuffer request gets its error body as bytes too, so NodeApiError
			// cannot pick the API's message out of it.
			description: 'Request failed with status code 404',
		});
	});

	it('fails with 401 when the credential key is wrong', async () => {
		const result = await run({ credentials: { harnessTestApi: { apiKey: 'wrong', baseUrl } } });

		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({
			httpCode: '401',
			message: expect.stringContaining('Authorization failed'),
		});
	});

	it('turns failures into error items when continueOnFail is set', async () => {
		const result = await run({ continueOnFail: true, inputItems: [{ name: 'missing' }, { name: 'b' }] });

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.items[0]).toMatchObject({
			json: { error: expect.stringContaining('could not be found') },
			pairedItem: { item: 0 },
		});
		expect(result.items[1].json).toEqual({ name: 'b', bytes: IMAGE.length });
	});

	it('cancels an in-flight request through the execution cancel signal', async () => {
		const started = Date.now();
		const result = await run({ parameters: { name: 'a', path: '/slow' }, inputItems: [{}], abortAfterMs: 200 });

		expect(Date.now() - started).toBeLessThan(5_000);
		expect(result.status).toBe('canceled');
		expect(result.error?.message).toMatch(/cancel/i);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(aborted).toContain('/slow');
	});
});

describe('filesystem binary data mode', () => {
	afterAll(async () => await configureHarness({ binaryDataMode: 'default' }));

	it('stores prepared binary data as files, as n8n 2.x does by default', async () => {
		await configureHarness({ binaryDataMode: 'filesystem' });
		const result = await run({ inputItems: [{ name: 'a' }] });

		const binary = result.items[0].binary?.data;
		expect(binary?.data).toBe('filesystem-v2');
		expect(binary?.id).toMatch(/^filesystem-v2:workflows\/harness-workflow\/executions\//);
		const file = path.join(getStoragePath(), (binary?.id ?? '').replace('filesystem-v2:', ''));
		expect(existsSync(file)).toBe(true);
		expect(await getBinaryBuffer(result.items[0])).toEqual(IMAGE);
	});
});

describe('testCredential', () => {
	it('is OK when the test request succeeds', async () => {
		await expect(testCredential(credentialType, { apiKey: 'k', baseUrl })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it('maps a rejected request to the status text, as n8n does', async () => {
		await expect(testCredential(credentialType, { apiKey: 'nope', baseUrl })).resolves.toEqual({
			status: 'Error',
			message: 'Unauthorized',
		});
	});

	it('applies responseCode and responseSuccessBody rules', async () => {
		const withRules: ICredentialType = {
			...credentialType,
			test: {
				request: { ...meRequest, qs: { suspended: '1' } },
				rules: [{ type: 'responseSuccessBody', properties: { key: 'suspended', value: true, message: 'Account suspended' } }],
			},
		};
		await expect(testCredential(withRules, { apiKey: 'k', baseUrl })).resolves.toEqual({
			status: 'Error',
			message: 'Account suspended',
		});

		const codeRule: ICredentialType = {
			...credentialType,
			test: {
				request: meRequest,
				rules: [{ type: 'responseCode', properties: { value: 401, message: 'Wrong API key' } }],
			},
		};
		await expect(testCredential(codeRule, { apiKey: 'nope', baseUrl })).resolves.toEqual({
			status: 'Error',
			message: 'Wrong API key',
		});
	});

	it('reports the network error code when nothing listens', async () => {
		const result = await testCredential(credentialType, { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
