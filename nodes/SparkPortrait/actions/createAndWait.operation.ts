/** Edit Portrait: the task life cycle, the poller and the download, composed, all within Wait Timeout. */
import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { isServerSideCode } from '../errors/errorCodes';
import type { SparkTask } from '../api/types';
import { deleteStagedImageOption, imageLinkExpiryOption } from '../descriptions/imageSource';
import {
	binaryPropertyOption,
	checkImageOption,
	downloadImageOption,
	maxParallelOption,
	maxResultSizeOption,
	maxRetriesOption,
	onTimeoutOption,
	optionsCollection,
	pollIntervalOption,
	requestTimeoutOption,
	resubmitOption,
	waitTimeoutOption,
} from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { EDIT_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import { downloadImages, taskJson } from '../run/output';
import { startItemDeadline, type ItemDeadline } from '../run/itemDeadline';
import type { ItemRun } from '../run/itemRun';
import { outputSettings, readOptions, runsAsTool, waitSettings } from '../descriptions/settings';
import { prepareCreate } from '../run/createPlan';
import * as lifecycle from '../run/taskLifecycle';
import { waitForTask } from '../polling/waitForTask';
import { NoImageError, TaskFailedError, TaskTimeoutError } from '../errors/failures';

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
		maxResultSizeOption,
		maxRetriesOption,
		onTimeoutOption,
		pollIntervalOption,
		requestTimeoutOption,
		resubmitOption,
		waitTimeoutOption,
	]),
]);

export type CreateAndWaitPlan = Awaited<ReturnType<typeof prepare>>;

export async function prepare(ctx: IExecuteFunctions, itemIndex: number) {
	const options = readOptions(ctx, itemIndex);
	const asTool = runsAsTool(ctx);
	return {
		create: await prepareCreate(ctx, itemIndex, true),
		wait: waitSettings(options, asTool),
		output: outputSettings(options, asTool),
	};
}

/** The item's JSON: the task, how long a timed-out wait took, its resubmissions and the earlier try it resumed. */
function itemJson(run: ItemRun, task: SparkTask, timeout?: { waitedMs: number; lastFailure?: string }): IDataObject {
	const taskIds = run.record.createdTaskIds;
	return {
		...taskJson(task, timeout ? 'timeout' : task.status),
		...(timeout && { waitedSeconds: Math.round(timeout.waitedMs / 1000) }),
		...(timeout?.lastFailure !== undefined && { lastReadError: timeout.lastFailure }),
		...(taskIds.length > 1 && { attempts: taskIds.length, previousTaskIds: taskIds.slice(0, -1) }),
		...lifecycle.resumedInfo(run),
	};
}

/** The result images, unless Wait Timeout ends the download: then the task is reported as On Timeout says. */
async function download(deadline: ItemDeadline, plan: CreateAndWaitPlan, task: SparkTask): Promise<INodeExecutionData> {
	const run = deadline.run;
	deadline.stage = 'download';
	if (!plan.output.download) return { json: itemJson(run, task) };
	const fetched = await downloadImages(run, task, plan.output).then((binary) => ({ binary }), (error: unknown) => ({ error }));
	if ('error' in fetched) {
		if (!deadline.expired() || plan.wait.onTimeout === 'error') throw deadline.explain(fetched.error);
		return { json: itemJson(run, task, { waitedMs: deadline.elapsedMs() }) };
	}
	return { json: itemJson(run, task), binary: fetched.binary };
}

async function editWithin(deadline: ItemDeadline, plan: CreateAndWaitPlan, image: lifecycle.ItemImage): Promise<INodeExecutionData> {
	const run = deadline.run;
	const resumed = await lifecycle.resumeTask(run, plan.create, image);
	if (!resumed) {
		deadline.stage = 'check';
		await lifecycle.checkInput(run, plan.create);
		deadline.stage = 'upload';
		if (plan.create.binary) image.staged = await lifecycle.stageBinary(run, plan.create.binary);
	}
	deadline.stage = 'create';
	// A resubmission (server-side failure) creates the task again, without checking the input again.
	let created = resumed ?? (await lifecycle.createTask(deadline.createRun, plan.create, image));
	for (;;) {
		// Polling gets what is left of Wait Timeout; its schedule learns from tasks of the same kind.
		const wait = { ...deadline.pollRun, history: run.pacing.historyFor(plan.create.body), progressHints: run.pacing.progressHints };
		const result = await waitForTask(wait, created, { ...plan.wait, timeoutMs: deadline.remainingMs() });
		const last = result.value ?? created;
		run.record.seen(last);
		if (!result.done) {
			const waitedMs = deadline.elapsedMs();
			if (plan.wait.onTimeout === 'error') throw new TaskTimeoutError(last.taskId, last.status, waitedMs, result.lastFailure);
			return { json: itemJson(run, last, { waitedMs, lastFailure: result.lastFailure }) };
		}
		const task = result.value;
		if (task.status === 'failed') {
			if (isServerSideCode(task.error?.code) && run.record.createdTaskIds.length <= plan.wait.resubmits) {
				created = await lifecycle.createTask(deadline.createRun, plan.create, image);
				continue;
			}
			throw new TaskFailedError(task, run.record.createdTaskIds.length);
		}
		if (task.images.length === 0) throw new NoImageError(task.taskId);
		return await download(deadline, plan, task);
	}
}

/**
 * A staged image is deleted once the task has ended, whatever the end (result, failure, timeout,
 * cancellation), unless Delete Staged Image is off. An item that fails while its task lives is held
 * in the run ledger: n8n may run the node again, and the resumed task may still fetch its image.
 */
export async function execute(run: ItemRun, plan: CreateAndWaitPlan): Promise<INodeExecutionData> {
	const deleteAfter = plan.create.binary?.deleteAfter === true;
	const image: lifecycle.ItemImage = {};
	const deadline = startItemDeadline(run, plan.wait.timeoutMs);
	const outcome = await editWithin(deadline, plan, image).then((item) => ({ item }), (error: unknown) => ({ error }));
	deadline.dispose();
	// Deleting or holding the image is not bound by the deadline.
	if ('error' in outcome) {
		if (deleteAfter) await run.record.holdOrRelease(image.staged);
		throw deadline.explain(outcome.error);
	}
	return lifecycle.withStagedImage(outcome.item, deleteAfter ? await run.record.release(image.staged) : lifecycle.keptImage(run, image));
}
