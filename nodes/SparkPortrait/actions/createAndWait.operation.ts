/**
 * Edit Portrait: Create Task, then the poller, then the download, composed.
 */
import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { isServerSideCode } from '../api/errorCodes';
import type { SparkTask } from '../api/types';
import {
	binaryPropertyOption,
	checkImageOption,
	downloadImageOption,
	maxParallelOption,
	maxRetriesOption,
	onTimeoutOption,
	optionsCollection,
	pollIntervalOption,
	requestTimeoutOption,
	resubmitOption,
	waitTimeoutOption,
} from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { NoImageError, TaskFailedError, TaskTimeoutError } from '../helpers/errors';
import { downloadImages, taskJson } from '../helpers/output';
import { outputSettings, readOptions, waitSettings, type OutputSettings, type WaitSettings } from '../helpers/settings';
import { resumeRegistry } from '../helpers/resume';
import { waitForTask } from '../helpers/waitForTask';
import * as create from './create.operation';
import type { ItemRun, Operation } from './types';

export const description = updateDisplayOptions({ show: { operation: ['createAndWait'] } }, [
	...portraitFields,
	optionsCollection([
		binaryPropertyOption,
		checkImageOption,
		downloadImageOption,
		maxParallelOption,
		maxRetriesOption,
		onTimeoutOption,
		pollIntervalOption,
		requestTimeoutOption,
		resubmitOption,
		waitTimeoutOption,
	]),
]);

export interface CreateAndWaitPlan {
	create: create.CreatePlan;
	wait: WaitSettings;
	output: OutputSettings;
}

export function prepare(ctx: IExecuteFunctions, itemIndex: number): CreateAndWaitPlan {
	const options = readOptions(ctx, itemIndex);
	return { create: create.prepare(ctx, itemIndex), wait: waitSettings(options), output: outputSettings(options) };
}

function attemptsInfo(run: ItemRun): { attempts?: number; previousTaskIds?: string[] } {
	return run.createdTaskIds.length > 1
		? { attempts: run.createdTaskIds.length, previousTaskIds: run.createdTaskIds.slice(0, -1) }
		: {};
}

/** Keeps the task's latest state for a retry of the node; a failed task is never picked up again. */
function remember(run: ItemRun, task: SparkTask): void {
	if (run.resumeKey === undefined) return;
	if (task.status === 'failed') resumeRegistry.forget(run.resumeKey);
	else resumeRegistry.recordState(run.resumeKey, task);
}

export async function execute(run: ItemRun, plan: CreateAndWaitPlan): Promise<INodeExecutionData> {
	// A retry of the node picks up the item's task; a resubmission (server-side failure) creates
	// the task again, without checking the input again.
	let created = await create.resumeOrCreate(run, plan.create);
	for (;;) {
		const result = await waitForTask(run, created, plan.wait);
		const last = result.value ?? created;
		remember(run, last);
		if (!result.done) {
			if (plan.wait.onTimeout === 'error') throw new TaskTimeoutError(last.taskId, last.status, result.elapsedMs, result.lastFailure);
			const readFailure = result.lastFailure === undefined ? {} : { lastReadError: result.lastFailure };
			return { json: { ...taskJson(last, 'timeout'), waitedSeconds: Math.round(result.elapsedMs / 1000), ...readFailure, ...attemptsInfo(run), ...create.resumedInfo(run) } };
		}
		const task = result.value;
		if (task.status === 'failed') {
			if (isServerSideCode(task.error?.code) && run.createdTaskIds.length <= plan.wait.resubmits) {
				created = await create.createTask(run, plan.create);
				continue;
			}
			throw new TaskFailedError(task, run.createdTaskIds.length);
		}
		if (task.images.length === 0) throw new NoImageError(task.taskId);
		const binary = plan.output.download ? await downloadImages(run.ctx, run.client, task, plan.output, run.signal) : undefined;
		return { json: { ...taskJson(task), ...attemptsInfo(run), ...create.resumedInfo(run) }, ...(binary ? { binary } : {}) };
	}
}

export const createAndWait: Operation<CreateAndWaitPlan> = { description, prepare, execute };
