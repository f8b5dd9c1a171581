/**
 * The item loop, in parallel up to Max Parallel Tasks: it owns Continue On Fail, pairedItem and the
 * output order; what the run paid for or stored is the run ledger's (run/runLedger.ts).
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { BatchStop, forEachConcurrent } from '../run/concurrency';
import { runPacing, sharedPacing } from '../polling/pacing';
import { errorItem, toNodeError, withOtherTasks, type SparkNodeError } from '../errors/translate';
import { RunLedger, type ItemRecord } from '../run/runLedger';
import { readOptions, runsAsTool, runSettings, type RunSettings } from '../descriptions/settings';
import { realClock, type Clock } from '../transport/clock';
import { createTransport, type Transport } from '../transport';
import { retryPolicy, type RetryPolicy } from '../transport/retry';
import { stagingClientOnDemand } from '../staging/bucketClient';
import * as create from './create.operation';
import * as createAndWait from './createAndWait.operation';
import * as getStatus from './getStatus.operation';
import type { ItemRun } from '../run/itemRun';
import { withNotes } from '../errors/messages';
import { CancelledError } from '../errors/failures';

interface Operation<Plan> {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(run: ItemRun, plan: Plan): Promise<INodeExecutionData>;
}

type PreparedItem = (run: ItemRun) => Promise<INodeExecutionData>;

/** Any operation's `prepare`, its plan type hidden behind the prepared item (so the router needs no casts). */
function runnable<Plan>(operation: Operation<Plan>): (ctx: IExecuteFunctions, itemIndex: number) => Promise<PreparedItem> {
	return async (ctx, itemIndex) => {
		const plan = await operation.prepare(ctx, itemIndex);
		return async (run) => await operation.execute(run, plan);
	};
}

const operations: Record<string, ReturnType<typeof runnable>> = {
	createAndWait: runnable(createAndWait),
	create: runnable(create),
	getStatus: runnable(getStatus),
};

/**
 * What a test or a benchmark may set; n8n sets nothing. `clock`: the clock of every wait, and the
 * key of what the process learns (request budget, task times). `sharedPacing: false`: each run
 * paces itself, as before the process shared one budget (for a benchmark to compare).
 */
export interface RouteOptions {
	clock?: Clock;
	sharedPacing?: boolean;
}

export async function route(this: IExecuteFunctions, { clock = realClock, sharedPacing: shared = true }: RouteOptions = {}): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const operationName = this.getNodeParameter('operation', 0) as string;
	const prepare = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
	if (!prepare) throw new NodeOperationError(node, `The operation "${operationName}" is not known`);
	// An agent reads a failure as its tool's answer and can act on it (n8n 1.x would otherwise fail the
	// whole run), so a tool always answers with the error item.
	const continueOnFail = this.continueOnFail() || runsAsTool(this);
	const results: INodeExecutionData[] = new Array(items.length);
	const output = () => results.filter((item) => item !== undefined);
	const nodeError = (error: unknown, itemIndex: number, record?: ItemRecord) =>
		toNodeError(node, error, { itemIndex, taskId: record?.taskId, notes: record?.notes });
	const fail = (error: unknown, itemIndex: number, record?: ItemRecord): void => {
		if (!continueOnFail) throw nodeError(error, itemIndex, record);
		results[itemIndex] = errorItem(nodeError(error, itemIndex, record), itemIndex);
	};

	// Every item is checked before the first request, so bad input anywhere costs nothing.
	const prepared = new Map<number, PreparedItem>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		await prepare(this, itemIndex).then((item) => prepared.set(itemIndex, item), (error: unknown) => fail(error, itemIndex));
	}
	if (prepared.size === 0) return [output()];

	let settings: RunSettings;
	let retry: RetryPolicy;
	let transport: Transport;
	try {
		settings = runSettings(readOptions(this, 0));
		retry = retryPolicy(settings.maxRetries);
		transport = await createTransport(this, { requestTimeoutMs: settings.requestTimeoutMs, retry, clock }, shared);
	} catch (error) {
		for (const itemIndex of prepared.keys()) fail(error, itemIndex);
		return [output()];
	}

	const executionSignal = this.getExecutionCancelSignal?.();
	const batch = new BatchStop();
	if (executionSignal?.aborted) batch.stop();
	executionSignal?.addEventListener('abort', batch.stop, { once: true });
	const staging = stagingClientOnDemand(this, { requestTimeoutMs: settings.requestTimeoutMs, clock, retry });
	const ledger = new RunLedger(this, staging);
	const pacing = shared ? sharedPacing(transport.api.apiOrigin, clock) : runPacing();
	let failure: { error: SparkNodeError; itemIndex: number } | undefined;
	try {
		await forEachConcurrent([...prepared], settings.maxParallel, async ([itemIndex, runItem]) => {
			const record = ledger.open(itemIndex);
			const run = { ctx: this, client: transport.api, downloads: transport.downloads, imageChecks: transport.imageChecks, itemIndex, clock, executionSignal, signal: batch.itemSignal(), pacing, staging, record };
			try {
				const item = await runItem(run);
				results[itemIndex] = { ...item, pairedItem: { item: itemIndex } };
			} catch (error) {
				// An item stopped because another one failed is reported through that one's error.
				if (error instanceof CancelledError && failure && !executionSignal?.aborted) return;
				if (continueOnFail) fail(error, itemIndex, record);
				else if (!failure) {
					failure = { error: nodeError(error, itemIndex, record), itemIndex };
					batch.stop();
				}
			}
		}, () => batch.stopped);
	} finally {
		executionSignal?.removeEventListener('abort', batch.stop);
	}

	const end = await ledger.close({ threw: failure !== undefined, output: output(), cancelled: executionSignal?.aborted === true });
	for (const [itemIndex, notes] of end.itemNotes) {
		const item = results[itemIndex];
		if (item?.json.error !== undefined) item.json.description = withNotes(item.json.description as string | undefined, notes);
	}
	if (!failure) return [output()];
	const { error, itemIndex } = failure;
	error.description = withNotes(error.description, [...(end.itemNotes.get(itemIndex) ?? []), ...end.runNotes]);
	throw withOtherTasks(error, ledger.otherTasks(itemIndex));
}
