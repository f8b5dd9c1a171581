/** A task's life cycle, shared by Create Task and Edit Portrait. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MIME_TYPES } from '../images/imageInfo';
import { quotedForLog } from './logText';
import type { SparkTask } from '../api/types';
import { abandonOnAbort } from '../transport/clock';
import { keptImageJson, newStagedImage, readInputImage, type StagedImage } from '../staging/binaryInput';
import type { CreatePlan } from './createPlan';
import { checkInputImage, checkInputImageSize } from '../images/imageCheck';
import type { ItemRun } from './itemRun';
import { StagingHttpError } from '../errors/failures';
import type { BinarySource } from '../descriptions/settings';

/** The staged image this try owns while the item runs (with the link of its last create request). */
export interface ItemImage {
	staged?: StagedImage;
}

/**
 * Check Image First: the input image is fetched (no credential, read no further than the limit)
 * and checked against the API document's limits once per item, before anything is billed.
 */
export async function checkInput(run: ItemRun, plan: CreatePlan): Promise<void> {
	if (!plan.checkImage) return;
	const { data, complete, declaredBytes } = await run.imageChecks.fetchImage(plan.body.image_input, run.signal);
	if (!complete) checkInputImageSize(declaredBytes);
	checkInputImage(data);
}

/** Binary input: uploads the image (read again: plans do not hold every item's bytes at once). */
export async function stageBinary(run: ItemRun, binary: BinarySource): Promise<StagedImage> {
	const image = await readInputImage(run.ctx, run.itemIndex, binary.binaryField);
	const client = await run.staging();
	const staged = newStagedImage(client.target, image.format);
	const failure = await client.putObject(staged.key, image.data, MIME_TYPES[image.format], run.signal).then(() => undefined, (error: unknown) => ({ error }));
	if (!failure) return staged;
	// A refusal stored nothing; no answer at all (timeout, dropped connection, cancel) may have.
	if (!(failure.error instanceof StagingHttpError)) await run.record.discardUnanswered(staged);
	throw failure.error;
}

/**
 * Creates one task; from here on the item's errors carry its id. A batch stop (another item
 * failed) stops the wait for its answer but not the request: the task it may create is recorded
 * when the answer arrives, for the retry to pick up.
 */
export async function createTask(run: ItemRun, plan: CreatePlan, image: ItemImage): Promise<SparkTask> {
	let body = plan.body;
	if (plan.binary) {
		// Create Task stages here; Edit Portrait has staged already, unless this is a resubmission in a
		// resumed try whose earlier try left no object (the bytes are still in the item).
		image.staged ??= await stageBinary(run, plan.binary);
		// A fresh link per request: a resubmission may come long after the first one.
		const { linkExpirySeconds } = plan.binary;
		const url = (await run.staging()).presignGet(image.staged.key, linkExpirySeconds);
		image.staged = { ...image.staged, url, urlExpiresAt: new Date(run.clock.now() + linkExpirySeconds * 1000).toISOString() };
		body = { ...body, image_input: url };
	}
	const created = run.client.createTask(body, run.executionSignal);
	run.record.createSent(plan.body, created, image.staged);
	const task = await abandonOnAbort(created, run.signal);
	run.record.created(task);
	// A queue-mode worker killed from here on takes the item's output with it: n8n's log keeps the paid task id.
	run.ctx.logger.info(`Spark Portrait created task ${quotedForLog(task.taskId)} (execution ${run.ctx.getExecutionId()}, item ${run.itemIndex})`);
	return task;
}

/**
 * The task an earlier try of this node created for the item (n8n's Retry On Fail), if it has not
 * failed: its latest known state, waiting for its create answer if that is still on the way.
 */
export async function resumeTask(run: ItemRun, plan: CreatePlan, image: ItemImage = {}): Promise<SparkTask | undefined> {
	const resumed = run.record.resume(plan.body);
	if (!resumed) return undefined;
	// Taken before any wait, so this try deletes (or keeps again) the image the earlier try kept.
	image.staged = resumed.kept;
	const created = await abandonOnAbort(resumed.entry.created.catch(() => undefined), run.signal);
	// Its create failed after all: nothing to pick up, so this try creates the task.
	if (!created) return undefined;
	run.record.resumed(resumed.entry, created);
	return resumed.entry.latest ?? created;
}

export function resumedInfo(run: ItemRun): { resumed?: true; tries?: number } {
	const tries = run.record.earlierTry?.tries;
	return tries === undefined ? {} : { resumed: true, tries };
}

export function withStagedImage(item: INodeExecutionData, stagedImage: IDataObject | undefined): INodeExecutionData {
	return stagedImage ? { ...item, json: { ...item.json, stagedImage } } : item;
}

/**
 * The staged image's entry in the output when it stays in the bucket: this try's, or for a
 * resumed task the one an earlier try created it with.
 */
export function keptImage(run: ItemRun, image: ItemImage): IDataObject | undefined {
	const staged = image.staged?.url ? image.staged : run.record.earlierTry?.image;
	return staged ? keptImageJson(staged) : undefined;
}
