import { NodeConnectionTypes, NodeHelpers } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeCredentials,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { MANUAL_TRIGGER_NAME, MANUAL_TRIGGER_TYPE } from './manual-trigger';

export const HARNESS_WORKFLOW_ID = 'harness-workflow';

export interface NodeUnderTest {
	nodeType: INodeType | IVersionedNodeType;
	nodeTypeName: string;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	typeVersion?: number;
}

/** The newest version, as the editor picks for a newly added node. */
export function latestVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function nodeName(type: INodeType | IVersionedNodeType, version: number): string {
	const { description } = NodeHelpers.getVersionedNodeType(type, version);
	return description.defaults.name ?? description.displayName;
}

/** One stored credential per type, referenced the way a saved workflow references it. */
function credentialRefs(credentials: Record<string, ICredentialDataDecryptedObject>): INodeCredentials {
	const refs: INodeCredentials = {};
	for (const type of Object.keys(credentials)) {
		refs[type] = { id: `${type}-id`, name: `${type} (test)` };
	}
	return refs;
}

/** Manual trigger -> node under test, as a user would wire it in the editor. */
export function buildWorkflow(test: NodeUnderTest): IWorkflowBase {
	const trigger: INode = {
		id: 'trigger',
		name: MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const typeVersion = test.typeVersion ?? latestVersion(test.nodeType);
	const node: INode = {
		id: 'node-under-test',
		name: nodeName(test.nodeType, typeVersion),
		type: test.nodeTypeName,
		typeVersion,
		position: [220, 0],
		parameters: structuredClone(test.parameters),
		credentials: credentialRefs(test.credentials ?? {}),
		...(test.continueOnFail === true ? { onError: 'continueRegularOutput' as const } : {}),
		...(test.retryOnFail ? { retryOnFail: true, ...test.retryOnFail } : {}),
	};
	const now = new Date();
	return {
		id: HARNESS_WORKFLOW_ID,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes: [trigger, node],
		connections: {
			[trigger.name]: {
				[NodeConnectionTypes.Main]: [[{ node: node.name, type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		// What the editor saves for new workflows.
		settings: { executionOrder: 'v1' },
	};
}
