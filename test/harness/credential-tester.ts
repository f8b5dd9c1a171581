import { ExecuteContext, RoutingNode } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { setupContainer } from './container';
import { CredentialTypeRegistry } from './credential-types';
import { HarnessCredentialsHelper } from './credentials-helper';
import { HarnessNodeTypes } from './node-types';

// The CLI tests request-defined credentials through a copy of the NoOp node.
const NOOP_TYPE = 'n8n-nodes-base.noOp';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** lodash.get for the dotted keys of responseSuccessBody rules; like lodash, it reads strings too ("abc".0, "abc".length). */
function getPath(data: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((value, part) => (value === null || value === undefined ? undefined : (Object(value) as Record<string, unknown>)[part]), data);
}

function testNodeType(credentialName: string, test: ICredentialTestRequest): INodeType {
	return {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
}

/** The CLI's mapping of a failed test request to a result (credentials-tester.service.ts). */
function resultFromError(error: unknown, test: ICredentialTestRequest): INodeCredentialTestResult {
	const cause = isRecord(error) ? error.cause : undefined;
	const response = isRecord(cause) ? cause.response : undefined;
	if (isRecord(response)) {
		const statusCode = Number(response.status);
		const statusMessage = typeof response.statusText === 'string' ? response.statusText : '';
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (statusCode < 199 || statusCode > 299) {
			return {
				status: 'Error',
				message: statusMessage || `Received HTTP status code: ${statusCode}`,
			};
		}
	} else if (isRecord(cause) && typeof cause.code === 'string') {
		return { status: 'Error', message: cause.code };
	}
	return { status: 'Error', message: errorMessage(error) };
}

function resultFromResponse(
	response: INodeExecutionData[][] | null | undefined,
	test: ICredentialTestRequest,
): INodeCredentialTestResult {
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		if (getPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Runs a credential type's `test` request the way n8n's CredentialsTester does: the
 * request becomes the routing of a throwaway node that RoutingNode executes with the
 * (defaulted, expression-resolved) credentials, over real HTTP with authentication.
 */
export async function testCredential(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	await setupContainer();
	const { test, name } = credentialType;
	if (test === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const helper = new HarnessCredentialsHelper(new CredentialTypeRegistry([credentialType]), {
		[name]: structuredClone(data),
	});
	const additionalData = createAdditionalData({ credentialsHelper: helper });
	let resolved: ICredentialDataDecryptedObject;
	try {
		resolved = await helper.applyDefaultsAndResolve(additionalData, structuredClone(data), name, 'internal');
	} catch (error) {
		return { status: 'Error', message: errorMessage(error) };
	}
	const credentials: ICredentialsDecrypted = { id: 'temp', name: 'Temp', type: name, data: resolved };

	const nodeType = testNodeType(name, test);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: NOOP_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [name]: { id: credentials.id, name: credentials.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes().add(NOOP_TYPE, nodeType),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);

	// A no-op with the default (legacy) engine; a sandboxed engine needs an isolate.
	await workflow.expression.acquireIsolate();
	try {
		const response = await new RoutingNode(context, nodeType, credentials).runNode();
		return resultFromResponse(response, test);
	} catch (error) {
		return resultFromError(error, test);
	} finally {
		await workflow.expression.releaseIsolate();
	}
}
