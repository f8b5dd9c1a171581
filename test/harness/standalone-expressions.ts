import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeParameters,
	INodeType,
	IWorkflowDataProxyAdditionalKeys,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessNodeTypes } from './node-types';

const MOCK_TYPE = 'mock';

const mockNode: INode = {
	id: 'mock',
	name: '',
	type: MOCK_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const mockType: INodeType = {
	description: {
		displayName: 'Mock',
		name: MOCK_TYPE,
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
};

/**
 * Resolves expressions in credential data outside any execution (the credential
 * test), as the CLI does: a one-node throwaway workflow supplies the expression engine.
 */
export async function resolveWithoutWorkflow(
	data: ICredentialDataDecryptedObject,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
): Promise<ICredentialDataDecryptedObject> {
	const workflow = new Workflow({
		nodes: [{ ...mockNode }],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes().add(MOCK_TYPE, mockType),
	});
	await workflow.expression.acquireIsolate();
	try {
		return workflow.expression.getComplexParameterValue(
			mockNode,
			data as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			data,
		) as ICredentialDataDecryptedObject;
	} finally {
		await workflow.expression.releaseIsolate();
	}
}
