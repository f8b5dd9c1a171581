/**
 * The item loop: prepares every item (no requests), then runs the operation for the items in
 * parallel up to Max Parallel Tasks. It owns Continue On Fail, pairedItem and the output order.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CancelledError, realClock, type Clock } from '../transport/clock';
import { runPacing, sharedPacing } from '../helpers/pacing';
import { BatchStop, forEachConcurrent } from '../helpers/concurrency';
import { toNodeError, type SparkNodeError } from '../helpers/errors';
import { maxTriesOf, resumeRegistry, type RunScope } from '../helpers/resume';
import { readOptions, runsAsTool, runSettings } from '../helpers/settings';
import { undeletedNote, unstageImage } from '../helpers/staging';
import { createSparkClient, type SparkClient } from '../transport';
import { retryPolicy } from '../transport/retry';
import { createStagingClient, type StagingClient } from '../transport/staging';
import { create, releaseImage } from './create.operation';
import { createAndWait } from './createAndWait.operation';
import { getStatus } from './getStatus.operation';
import type { ItemRun, Operation } from './types';

const operations: Record<string, Operation<unknown>> = {
	createAndWait: createAndWait as Operation<unknown>,
	create: create as Operation<unknown>,
	getStatus: getStatus as Operation<unknown>,
};

function errorItem(error: SparkNodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof Error && 'httpCode' in error && error.httpCode) json.httpCode = error.httpCode;
	for (const key of ['taskId', 'attempts']) {
		if (error.context[key] !== undefined) json[key] = error.context[key];
	}
	return { json, pairedItem: { item: itemIndex } };
}

/** A failed run throws one item's error; the tasks other items had created are named in it. */
function addOtherTasks(error: SparkNodeError, failedIndex: number, runs: ItemRun[]): void {
	const others = runs
		.filter((run) => run.itemIndex !== failedIndex && (run.createdTaskIds.length > 0 || run.createInFlight))
		.map((run) => `item ${run.itemIndex}: ${[...run.createdTaskIds, ...(run.createInFlight ? ['a task whose create request was still unanswered'] : [])].join(', ')}`);
	if (others.length === 0) return;
	error.context.otherTaskIds = others;
	error.description = `${error.description ?? ''} Tasks created for other items before the run stopped (read them with Get Task Status, or let Retry On Fail pick them up): ${others.join('; ')}.`.trim();
}

/** This node run's part of the resume key, or undefined where n8n gives no execution id. */
function runScope(ctx: IExecuteFunctions): RunScope | undefined {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return { executionId, nodeId: node.id ?? node.name, runIndex: ctx.getWorkflowDataProxy(0).$runIndex };
}

/**
 * n8n runs the node again (Retry On Fail) after it threw, and after an output whose first item is
 * an error item (Continue On Fail); then the items' tasks are kept for the next try. Otherwise the
 * output is delivered and no task of this run may be picked up again.
 */
function mayRunAgain(ctx: IExecuteFunctions, threw: boolean, output: INodeExecutionData[]): boolean {
	if (ctx.getNode().retryOnFail !== true) return false;
	const first = output[0]?.json?.error;
	return threw || (first !== undefined && first !== null && first !== false);
}

function withNotes(description: string | null | undefined, notes: string[]): string {
	return [description, ...notes].filter(Boolean).join(' ');
}

/**
 * The images of items that failed while their tasks live: handed to n8n's next try, whose resumed
 * task may still fetch them (that try deletes them), or deleted now. A failed delete is noted.
 */
async function settleHeldImages(runs: ItemRun[], keep: boolean, addNotes: (itemIndex: number, notes: string[]) => void): Promise<void> {
	await Promise.all(runs.map(async (run) => {
		const staged = run.heldImage;
		if (!staged || run.resumeKey === undefined) return;
		if (keep && resumeRegistry.keepStaged(run.resumeKey, staged)) return;
		const noted = run.notes.length;
		await releaseImage(run, { staged });
		if (run.notes.length > noted) addNotes(run.itemIndex, run.notes.slice(noted));
	}));
}

export async function route(this: IExecuteFunctions, clock: Clock = realClock): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = operations[this.getNodeParameter('operation', 0) as string];
	const node = this.getNode();
	// An agent reads a failure as its tool's answer and can act on it (n8n 1.x would otherwise fail the
	// whole run), so a tool always answers with the error item.
	const continueOnFail = this.continueOnFail() || runsAsTool(this);
	const results: INodeExecutionData[] = new Array(items.length);
	const fail = (error: unknown, itemIndex: number, run?: ItemRun): SparkNodeError => {
		const nodeError = toNodeError(node, error, { itemIndex, taskId: run?.taskId, notes: run?.notes });
		if (continueOnFail) results[itemIndex] = errorItem(nodeError, itemIndex);
		return nodeError;
	};

	// Every item is checked before the first request, so bad input anywhere costs nothing.
	const plans = new Map<number, unknown>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.set(itemIndex, await operation.prepare(this, itemIndex));
		} catch (error) {
			const nodeError = fail(error, itemIndex);
			if (!continueOnFail) throw nodeError;
		}
	}
	if (plans.size > 0) {
		let client: SparkClient;
		const settings = runSettings(readOptions(this, 0));
		try {
			client = await createSparkClient(this, {
				requestTimeoutMs: settings.requestTimeoutMs,
				retry: retryPolicy(settings.maxRetries),
				clock,
				shareBudget: settings.sharedPacing,
			});
		} catch (error) {
			const nodeError = toNodeError(node, error, { itemIndex: 0 });
			if (!continueOnFail) throw nodeError;
			for (const itemIndex of plans.keys()) results[itemIndex] = errorItem(nodeError, itemIndex);
			return [results];
		}

		const executionSignal = this.getExecutionCancelSignal?.();
		const batch = new BatchStop();
		if (executionSignal?.aborted) batch.stop();
		executionSignal?.addEventListener('abort', () => batch.stop(), { once: true });
		let stagingClient: Promise<StagingClient> | undefined;
		const staging = async () => {
			stagingClient ??= createStagingClient(this, settings.requestTimeoutMs, { clock, retry: retryPolicy(settings.maxRetries) });
			return await stagingClient;
		};
		const runs: ItemRun[] = [];
		const pacing = settings.sharedPacing ? sharedPacing(client.apiOrigin, clock) : runPacing();
		let failure: { error: SparkNodeError; itemIndex: number } | undefined;
		const scope = runScope(this);
		const tryNumber = scope ? resumeRegistry.countTry(scope) : 1;

		await forEachConcurrent([...plans.keys()], settings.maxParallel, async (itemIndex) => {
			const run: ItemRun = {
				ctx: this,
				client,
				itemIndex,
				clock,
				executionSignal,
				signal: batch.itemSignal(),
				createdTaskIds: [],
				pacing,
				staging,
				notes: [],
				scope,
			};
			runs.push(run);
			try {
				const item = await operation.execute(run, plans.get(itemIndex));
				results[itemIndex] = { ...item, pairedItem: { item: itemIndex } };
			} catch (error) {
				// An item stopped because another one failed is reported through that one's error.
				if (error instanceof CancelledError && failure && !executionSignal?.aborted) return;
				const nodeError = fail(error, itemIndex, run);
				if (!continueOnFail && !failure) {
					failure = { error: nodeError, itemIndex };
					batch.stop();
				}
			}
		}, () => failure !== undefined || batch.stopped);

		const output = results.filter((item) => item !== undefined);
		const runsAgain = mayRunAgain(this, failure !== undefined, output);
		if (!runsAgain) {
			for (const run of runs) if (run.resumeKey !== undefined) resumeRegistry.forget(run.resumeKey);
			if (scope) resumeRegistry.endTries(scope);
		}
		// Staged images are kept only for a try n8n will surely run: not after the last one, nor a cancel.
		const keepImages = runsAgain && tryNumber < maxTriesOf(node) && executionSignal?.aborted !== true;
		await settleHeldImages(runs, keepImages, (itemIndex, notes) => {
			if (failure?.itemIndex === itemIndex) failure.error.description = withNotes(failure.error.description, notes);
			const item = results[itemIndex];
			if (item?.json.error !== undefined) item.json.description = withNotes(item.json.description as string | undefined, notes);
		});
		// No try follows: images an earlier try kept for items this one never reached go too.
		if (!keepImages && scope) {
			const stranded = resumeRegistry.takeStagedOf(scope);
			if (stranded.length > 0) {
				const client = await staging();
				const deleted = await Promise.all(stranded.map(async (staged) => await unstageImage(client, staged)));
				const notes = deleted.map(undeletedNote).filter((note) => note !== undefined);
				if (failure && notes.length > 0) failure.error.description = withNotes(failure.error.description, notes);
			}
		}
		if (failure) {
			addOtherTasks(failure.error, failure.itemIndex, runs);
			throw failure.error;
		}
		return [output];
	}
	return [results.filter((item) => item !== undefined)];
}
