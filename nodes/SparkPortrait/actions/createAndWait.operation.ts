/**
 * Edit Portrait: Create Task, then the poller, then the download, composed.
 */
import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { isServerSideCode } from '../api/errorCodes';
import type { SparkTask } from '../api/types';
import { deleteStagedImageOption, imageLinkExpiryOption } from '../descriptions/imageSource';
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
	sharedPacingOption,
	waitTimeoutOption,
} from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { EDIT_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import { NoImageError, TaskFailedError, TaskTimeoutError } from '../helpers/errors';
import { downloadImages, taskJson } from '../helpers/output';
import { outputSettings, readOptions, runsAsTool, waitSettings, type OutputSettings, type WaitSettings } from '../helpers/settings';
import { resumeRegistry } from '../helpers/resume';
import { waitForTask } from '../helpers/waitForTask';
import * as create from './create.operation';
import type { ItemRun, Operation } from './types';

export const description = updateDisplayOptions({ show: { operation: ['createAndWait'] } }, [
	toolDescriptionField(EDIT_TOOL_DESCRIPTION),
	...withToolDefaults(portraitFields),
	optionsCollection([
		binaryPropertyOption,
		checkImageOption,
		deleteStagedImageOption,
		downloadImageOption,
		imageLinkExpiryOption,
		maxParallelOption,
		maxRetriesOption,
		onTimeoutOption,
		pollIntervalOption,
		requestTimeoutOption,
		resubmitOption,
		sharedPacingOption,
		waitTimeoutOption,
	]),
]);

export interface CreateAndWaitPlan {
	create: create.CreatePlan;
	wait: WaitSettings;
	output: OutputSettings;
}

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<CreateAndWaitPlan> {
	const options = readOptions(ctx, itemIndex);
	const asTool = runsAsTool(ctx);
	return {
		create: await create.prepareCreate(ctx, itemIndex, true),
		wait: waitSettings(options, asTool),
		output: outputSettings(options, asTool),
	};
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

/** Waits for the item's task: `resumed` (from an earlier try of the node) or a new one. */
async function createAndWaitFor(run: ItemRun, plan: CreateAndWaitPlan, image: create.ItemImage, resumed?: SparkTask): Promise<INodeExecutionData> {
	// A resubmission (server-side failure) creates the task again, without checking the input again.
	let created = resumed ?? (await create.createTask(run, plan.create, image));
	for (;;) {
		const result = await waitForTask({ ...run, history: run.pacing.historyFor(plan.create.body), progressHints: run.pacing.progressHints }, created, plan.wait);
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
				created = await create.createTask(run, plan.create, image);
				continue;
			}
			throw new TaskFailedError(task, run.createdTaskIds.length);
		}
		if (task.images.length === 0) throw new NoImageError(task.taskId);
		const binary = plan.output.download ? await downloadImages(run.ctx, run.client, task, plan.output, run.signal) : undefined;
		return { json: { ...taskJson(task), ...attemptsInfo(run), ...create.resumedInfo(run) }, ...(binary ? { binary } : {}) };
	}
}

/**
 * A staged image is deleted once the task has ended, whatever the end (result, failure, timeout,
 * cancellation), unless Delete Staged Image is off. An item that fails while its task lives is
 * left to the router: n8n may run the node again, and the resumed task may still fetch its image.
 */
export async function execute(run: ItemRun, plan: CreateAndWaitPlan): Promise<INodeExecutionData> {
	const deleteAfter = plan.create.binary?.deleteAfter === true;
	// A retry of the node picks up the item's task, and the image its earlier try kept for it.
	const image: create.ItemImage = {};
	let item: INodeExecutionData | undefined;
	try {
		const resumed = await create.resumeTask(run, plan.create, image);
		if (!resumed) {
			await create.checkInput(run, plan.create);
			Object.assign(image, await create.stageInput(run, plan.create));
		}
		item = await createAndWaitFor(run, plan, image, resumed);
	} finally {
		if (item === undefined && deleteAfter) await releaseOrHold(run, image);
	}
	const stagedImage: IDataObject | undefined = deleteAfter ? await create.releaseImage(run, image) : create.keptImage(run, plan.create, image);
	return stagedImage ? { ...item, json: { ...item.json, stagedImage } } : item;
}

/** A failed item's image: held for the router's decision while its task may be resumed, else deleted now. */
async function releaseOrHold(run: ItemRun, image: create.ItemImage): Promise<void> {
	if (image.staged && run.resumeKey !== undefined && resumeRegistry.isAlive(run.resumeKey)) run.heldImage = image.staged;
	else await create.releaseImage(run, image);
}

export const createAndWait: Operation<CreateAndWaitPlan> = { description, prepare, execute };
