import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
} from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { setupContainer } from './container';
import { CredentialTypeRegistry } from './credential-types';
import { HarnessCredentialsHelper } from './credentials-helper';
import { toError } from './errors';
import { MANUAL_TRIGGER_TYPE, createManualTrigger, type InputBinary } from './manual-trigger';
import { HarnessNodeTypes } from './node-types';
import { HARNESS_WORKFLOW_ID, buildWorkflow } from './workflow';

export const DEFAULT_NODE_TYPE_NAME = 'n8n-nodes-spark-portrait.sparkPortrait';

export interface RunNodeOptions {
	nodeType: INodeType | IVersionedNodeType;
	/** Default 'n8n-nodes-spark-portrait.sparkPortrait'. */
	nodeTypeName?: string;
	credentialTypes: ICredentialType[];
	/** Decrypted credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	parameters: INodeParameters;
	/** JSON of the items fed into the node; default one empty item. */
	inputItems?: IDataObject[];
	/** Binary fields of those items, stored through n8n's binary data service. */
	inputBinary?: InputBinary;
	/** Sets onError: 'continueRegularOutput' on the node. */
	continueOnFail?: boolean;
	/** The node's Retry On Fail settings, as the editor saves them. */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** Default: the node type's newest version. */
	typeVersion?: number;
	/** Cancels the execution after this many ms, as the editor's stop button does. */
	abortAfterMs?: number;
}

export interface RunNodeResult {
	/** Main output 0 of the node under test. */
	items: INodeExecutionData[];
	/** The node's error as n8n recorded it, or the execution's error (e.g. cancellation). */
	error?: Error;
	runData: IRunData;
	/** 'success', 'error' or 'canceled'. */
	status: ExecutionStatus;
	/** The full run as WorkflowExecute returned it. */
	run: IRun;
}

let executionCounter = 0;

/** Runs manual trigger -> node through n8n-core's WorkflowExecute, over real HTTP. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await setupContainer();
	const nodeTypeName = options.nodeTypeName ?? DEFAULT_NODE_TYPE_NAME;
	const credentials = structuredClone(options.credentials ?? {});

	const nodeTypes = new HarnessNodeTypes()
		.add(MANUAL_TRIGGER_TYPE, createManualTrigger(options.inputItems ?? [{}], options.inputBinary))
		.add(nodeTypeName, options.nodeType);
	const workflowData = buildWorkflow({ ...options, nodeTypeName, credentials });
	const [trigger, node] = workflowData.nodes;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: workflowData.settings,
		active: false,
		nodeTypes,
	});

	const executionId = `harness-${++executionCounter}`;
	const additionalData = createAdditionalData({
		credentialsHelper: new HarnessCredentialsHelper(
			new CredentialTypeRegistry(options.credentialTypes),
			credentials,
		),
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
		executionId,
		workflowId: HARNESS_WORKFLOW_ID,
	});

	const execution = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: trigger });
	const timer =
		options.abortAfterMs === undefined
			? undefined
			: setTimeout(() => execution.cancel(), options.abortAfterMs);
	let run: IRun;
	try {
		// On cancel the promise still resolves, with the run data up to that point.
		run = await execution;
	} finally {
		clearTimeout(timer);
	}

	const { runData, error: executionError } = run.data.resultData;
	const task = runData[node.name]?.[0];
	const nodeError = task?.error ?? executionError;
	return {
		items: task?.data?.main?.[0] ?? [],
		error: nodeError === undefined ? undefined : toError(nodeError),
		runData,
		status: run.status,
		run,
	};
}
