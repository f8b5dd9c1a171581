// Batches of portraits sent to the queue-mode stack's webhook, and what came of them.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ExecutionSummary, N8nApi } from './n8n-api';
import { startQueueStack, type QueueStack, type QueueStackOptions } from './queue-stack';

export const BATCH_WORKFLOW_ID = 'e2eQueueBatch';
export const BATCH_WEBHOOK_PATH = 'spark-queue-batch';
export const BATCH_CREDENTIAL = { id: 'sparkQueue', name: 'Spark API (simulator)' };
export const ITEMS_PER_EXECUTION = 3;

/** The webhook → Split Out → Edit Portrait workflow, pointed at nothing: each request names its image. */
export function batchWorkflow(): object {
	return JSON.parse(readFileSync(path.join(__dirname, '..', 'workflows', 'queue-batch.json'), 'utf8')) as object;
}

export type BatchStackOptions = Omit<QueueStackOptions, 'credentials' | 'workflows' | 'activate'> & {
	/** The Spark API the credential points at (the simulator). */
	baseUrl: string;
	apiKey: string;
};

/** A queue-mode stack with the Spark API credential and the batch workflow, its webhook active. */
export function startBatchStack(options: BatchStackOptions): Promise<QueueStack> {
	const { baseUrl, apiKey, ...stackOptions } = options;
	return startQueueStack({
		...stackOptions,
		credentials: [{ ...BATCH_CREDENTIAL, type: 'sparkPortraitVtrixApi', data: { apiKey, baseUrl } }],
		workflows: [batchWorkflow()],
		activate: [BATCH_WORKFLOW_ID],
	});
}

/** The prompt of item `item` of request `request` in batch `label`: unique, so every task traces back. */
export function batchPrompt(label: string, request: number, item: number): string {
	return `${label} request ${request} item ${item}`;
}

/** Sends `requests` webhook calls at once, each with ITEMS_PER_EXECUTION portraits. */
export async function sendBatch(api: N8nApi, simUrl: string, label: string, requests: number): Promise<void> {
	const statuses = await Promise.all(
		Array.from({ length: requests }, (_, request) =>
			api.callWebhook(BATCH_WEBHOOK_PATH, {
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

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `count` executions of the batch workflow that are not in `seen` have finished, and
 * returns them. Throws with the statuses seen when the time runs out.
 */
export async function waitForExecutions(api: N8nApi, count: number, seen: Set<string>, timeoutMs: number): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await api.listExecutions(BATCH_WORKFLOW_ID)).filter((execution) => !seen.has(execution.id));
		const finished = fresh.filter((execution) => FINISHED.has(execution.status));
		if (finished.length >= count) return finished;
		if (Date.now() > deadline) {
			throw new Error(`${finished.length} of ${count} executions finished in ${timeoutMs} ms; statuses: ${fresh.map((e) => e.status).join(', ')}`);
		}
		await sleep(1000);
	}
}

/** Execution id → the worker that started it, from the workers' own log lines. */
export function workerOfExecution(stack: QueueStack): Map<string, string> {
	const owners = new Map<string, string>();
	for (const worker of stack.workers) {
		for (const match of worker.daemon.output().matchAll(/Worker started execution (\d+)/g)) owners.set(match[1], worker.name);
	}
	return owners;
}
