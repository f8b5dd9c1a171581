// Batches of portraits sent to the queue-mode stack's webhook, and what came of them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { waitForFinishedExecutions, type ExecutionSummary, type N8nApi } from './n8n-api';
import { startQueueStack, type QueueStack, type QueueStackOptions } from './queue-stack';

export const BATCH_WORKFLOW_ID = 'e2eQueueBatch';
export const BATCH_WEBHOOK_PATH = 'spark-queue-batch';
export const BATCH_CREDENTIAL = { id: 'sparkQueue', name: 'Spark API (simulator)' };
export const ITEMS_PER_EXECUTION = 3;

/** The webhook → Split Out → Edit Portrait workflow, pointed at nothing: each request names its image. */
export function batchWorkflow(): object {
	return JSON.parse(readFileSync(path.join(__dirname, '..', 'workflows', 'queue-batch.json'), 'utf8')) as object;
}

export interface BatchVariant {
	/** Workflow id (at most 21 characters) and webhook path of its own. */
	id: string;
	webhookPath: string;
	/** Edit Portrait's options in this variant, e.g. short timeouts. */
	options: Record<string, unknown>;
	/**
	 * Another Spark API (simulator) for this variant, through a credential of its own: n8n paces requests
	 * per API origin for the life of its process, so a variant on its own origin starts with nothing
	 * learned from the other cases' rate limits.
	 */
	baseUrl?: string;
}

const credentialOf = (variant: BatchVariant) => ({ id: `${BATCH_CREDENTIAL.id}-${variant.id}`, name: `${BATCH_CREDENTIAL.name} (${variant.id})` });

/** The batch workflow with another id, webhook and Edit Portrait options. */
export function batchWorkflowVariant(variant: BatchVariant): object {
	const workflow = batchWorkflow() as {
		id: string;
		name: string;
		nodes: Array<{ type: string; webhookId?: string; parameters: Record<string, unknown>; credentials?: object }>;
	};
	workflow.id = variant.id;
	workflow.name = `${workflow.name} (${variant.id})`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = variant.webhookPath;
			// A UUID of its own, derived from the id so a rerun imports the same workflow.
			const hex = createHash('sha256').update(variant.id).digest('hex');
			node.webhookId = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
		} else if (node.parameters.options) {
			node.parameters.options = { ...(node.parameters.options as object), ...variant.options };
			if (variant.baseUrl) node.credentials = { sparkPortraitVtrixApi: credentialOf(variant) };
		}
	}
	return workflow;
}

export type BatchStackOptions = Omit<QueueStackOptions, 'credentials' | 'workflows' | 'activate'> & {
	/** The Spark API the credential points at (the simulator). */
	baseUrl: string;
	apiKey: string;
	/** Variants of the batch workflow, imported and activated beside it. */
	variants?: BatchVariant[];
};

/** A queue-mode stack with the Spark API credential and the batch workflow, its webhook active. */
export function startBatchStack(options: BatchStackOptions): Promise<QueueStack> {
	const { baseUrl, apiKey, variants = [], ...stackOptions } = options;
	return startQueueStack({
		...stackOptions,
		credentials: [
			{ ...BATCH_CREDENTIAL, type: 'sparkPortraitVtrixApi', data: { apiKey, baseUrl } },
			...variants
				.filter((variant) => variant.baseUrl)
				.map((variant) => ({ ...credentialOf(variant), type: 'sparkPortraitVtrixApi', data: { apiKey, baseUrl: variant.baseUrl } })),
		],
		workflows: [batchWorkflow(), ...variants.map(batchWorkflowVariant)],
		activate: [BATCH_WORKFLOW_ID, ...variants.map((variant) => variant.id)],
	});
}

/** The prompt of item `item` of request `request` in batch `label`: unique, so every task traces back. */
export function batchPrompt(label: string, request: number, item: number): string {
	return `${label} request ${request} item ${item}`;
}

/** Sends `requests` webhook calls at once, each with ITEMS_PER_EXECUTION portraits. */
export async function sendBatch(api: N8nApi, simUrl: string, label: string, requests: number, webhookPath = BATCH_WEBHOOK_PATH): Promise<void> {
	const statuses = await Promise.all(
		Array.from({ length: requests }, (_, request) =>
			api.callWebhook(webhookPath, {
				portraits: Array.from({ length: ITEMS_PER_EXECUTION }, (__, item) => ({
					imageUrl: `${simUrl}/fixtures/portrait.jpg`,
					prompt: batchPrompt(label, request, item),
				})),
			}),
		),
	);
	const refused = statuses.filter((status) => status !== 200);
	if (refused.length > 0) throw new Error(`webhook refused ${refused.length} of ${requests} calls: ${refused.join(', ')}`);
}

/** Waits until `count` executions of the batch workflow (or `workflowId`) not in `seen` have finished; see n8n-api.ts. */
export function waitForExecutions(api: N8nApi, count: number, seen: Set<string>, timeoutMs: number, workflowId = BATCH_WORKFLOW_ID): Promise<ExecutionSummary[]> {
	return waitForFinishedExecutions(api, { workflowId, count, seen, timeoutMs });
}

/** Execution id → the worker that started it, from the workers' own log lines. */
export function workerOfExecution(stack: QueueStack): Map<string, string> {
	const owners = new Map<string, string>();
	for (const worker of stack.workers) {
		for (const match of worker.daemon.output().matchAll(/Worker started execution (\d+)/g)) owners.set(match[1], worker.name);
	}
	return owners;
}
