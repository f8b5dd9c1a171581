import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { CreateTaskBody, SparkTask } from '../api/types';
import { buildCreateTaskBody, type PortraitInput } from '../api/validation';
import { imageLinkExpiryOption } from '../descriptions/imageSource';
import { checkImageOption, maxParallelOption, maxRetriesOption, optionsCollection, requestTimeoutOption, sharedPacingOption } from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { CREATE_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import { TaskFailedError } from '../helpers/errors';
import { fetchCheckedInputImage } from '../helpers/inputImage';
import { taskJson } from '../helpers/output';
import { resumeKey, resumeRegistry } from '../helpers/resume';
import { binarySource, readOptions, runSettings } from '../helpers/settings';
import { keptImageJson, readInputImage, stageImage, undeletedNote, unstageImage, type BinarySource, type StagedImage } from '../helpers/staging';
import { abandonOnAbort } from '../transport/clock';
import type { ItemRun, Operation } from './types';

export const description = updateDisplayOptions({ show: { operation: ['create'] } }, [
	toolDescriptionField(CREATE_TOOL_DESCRIPTION),
	...withToolDefaults(portraitFields),
	optionsCollection([checkImageOption, imageLinkExpiryOption, maxParallelOption, maxRetriesOption, requestTimeoutOption, sharedPacingOption]),
]);

export interface CreatePlan {
	/** For binary input, image_input is filled in per create request with a fresh presigned URL. */
	body: CreateTaskBody;
	checkImage: boolean;
	binary?: BinarySource;
}

/** The image as it was handed to the API, while the item runs. */
export interface ItemImage {
	staged?: StagedImage;
	/** The presigned URL of the last create request. */
	url?: string;
}

/** Binary input gets its URL (a presigned link) per create request; this stand-in lets the other fields be checked first. */
const STAGED_IMAGE_PENDING = 'https://staged-image.invalid/';

function readPortraitInput(ctx: IExecuteFunctions, itemIndex: number, binary: boolean): PortraitInput {
	const get = (name: string) => ctx.getNodeParameter(name, itemIndex, undefined);
	return {
		model: get('model'),
		imageUrl: binary ? STAGED_IMAGE_PENDING : get('imageUrl'),
		prompt: get('prompt'),
		width: get('width'),
		height: get('height'),
		gpen: get('gpen'),
		skin: get('skin'),
		skinUnifi: get('skinUnifi'),
		genMode: get('genMode'),
		seed: get('seed'),
	};
}

/**
 * Reads and checks the item's parameters; a binary input image is read and checked here too, so
 * a bad image in any item stops the run before anything is uploaded or created.
 */
export async function prepareCreate(ctx: IExecuteFunctions, itemIndex: number, canDeleteStaged: boolean): Promise<CreatePlan> {
	const binary = binarySource(ctx, itemIndex, canDeleteStaged);
	const plan: CreatePlan = {
		body: buildCreateTaskBody(readPortraitInput(ctx, itemIndex, binary !== undefined)),
		checkImage: !binary && runSettings(readOptions(ctx, itemIndex)).checkImage,
		binary,
	};
	if (binary) await readInputImage(ctx, itemIndex, binary.binaryField);
	return plan;
}

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<CreatePlan> {
	return await prepareCreate(ctx, itemIndex, false);
}

/** Check Image First: the input image is fetched and checked once per item, before anything is billed. */
export async function checkInput(run: ItemRun, plan: CreatePlan): Promise<void> {
	if (!plan.checkImage) return;
	await fetchCheckedInputImage(run.client, plan.body.image_input, run.signal);
}

/** Binary input: uploads the image (read again: plans do not hold every item's bytes at once). */
export async function stageInput(run: ItemRun, plan: CreatePlan): Promise<ItemImage> {
	return plan.binary ? { staged: await stageBinary(run, plan.binary) } : {};
}

async function stageBinary(run: ItemRun, binary: BinarySource): Promise<StagedImage> {
	const image = await readInputImage(run.ctx, run.itemIndex, binary.binaryField);
	return await stageImage(await run.staging(), image, run.signal);
}

/**
 * Creates one task; from here on the item's errors carry its id. The create is recorded for a
 * retry of the node as it is sent (keyed by the plan's body, not the per-request image link). A
 * batch stop (another item failed) stops the wait for its answer but not the request: the task it
 * may create is recorded when the answer arrives, for the retry to pick up.
 */
export async function createTask(run: ItemRun, plan: CreatePlan, image: ItemImage): Promise<SparkTask> {
	let body = plan.body;
	if (plan.binary) {
		// A resubmission in a resumed try whose earlier try left no object: the bytes are still in the item.
		image.staged ??= await stageBinary(run, plan.binary);
		// A fresh link per request: a resubmission may come long after the first one.
		image.url = (await run.staging()).presignGet(image.staged.key, plan.binary.linkExpirySeconds);
		body = { ...body, image_input: image.url };
	}
	const created = run.client.createTask(body, run.executionSignal);
	if (run.scope) {
		run.resumeKey = resumeKey(run.scope, run.itemIndex, plan.body);
		resumeRegistry.recordCreate(run.resumeKey, created);
	}
	run.createInFlight = true;
	const settled = () => {
		run.createInFlight = false;
	};
	created.then(settled, settled);
	const task = await abandonOnAbort(created, run.signal);
	run.taskId = task.taskId;
	run.createdTaskIds.push(task.taskId);
	// A queue-mode worker killed from here on takes the item's output with it: n8n's log keeps the paid task id.
	run.ctx.logger.info(`Spark Portrait created task ${task.taskId} (execution ${run.ctx.getExecutionId()}, item ${run.itemIndex})`);
	return task;
}

/**
 * The task an earlier try of this node created for the item (n8n's Retry On Fail), if it has not
 * failed: its latest known state, waiting for its create answer if that is still on the way.
 */
export async function resumeTask(run: ItemRun, plan: CreatePlan, image: ItemImage = {}): Promise<SparkTask | undefined> {
	if (!run.scope) return undefined;
	const key = resumeKey(run.scope, run.itemIndex, plan.body);
	const entry = resumeRegistry.resume(key);
	if (!entry) return undefined;
	run.resumeKey = key;
	// Taken before any wait, so this try deletes (or keeps again) the image the earlier try kept.
	image.staged = resumeRegistry.takeStaged(key);
	const created = await abandonOnAbort(entry.created.then((task) => task, () => undefined), run.signal);
	// Its create failed after all: nothing to pick up, so this try creates the task.
	if (!created) return undefined;
	run.resumedTries = entry.tries;
	run.createdTaskIds.push(...entry.taskIds);
	run.taskId = created.taskId;
	return entry.latest ?? created;
}

/** What a resumed item adds to its output. */
export function resumedInfo(run: ItemRun): { resumed?: true; tries?: number } {
	return run.resumedTries === undefined ? {} : { resumed: true, tries: run.resumedTries };
}

/**
 * Deletes the staged image when nothing needs it any more; undefined for URL input. A failed
 * delete is noted, so an error of the item says which object is left in the bucket.
 */
export async function releaseImage(run: ItemRun, image: ItemImage): Promise<IDataObject | undefined> {
	if (!image.staged) return undefined;
	const result = await unstageImage(await run.staging(), image.staged);
	const note = undeletedNote(result);
	if (note) run.notes.push(note);
	return result;
}

/** The staged image's entry in the output when it stays in the bucket. */
export function keptImage(run: ItemRun, plan: CreatePlan, image: ItemImage): IDataObject | undefined {
	if (!image.staged || !image.url || !plan.binary) return undefined;
	return keptImageJson(image.staged, image.url, plan.binary.linkExpirySeconds, run.clock.now());
}

/**
 * Create Task does not wait for the task, so a staged image stays in the bucket (the output
 * names its key); only when no task was created is it deleted at once.
 */
export async function execute(run: ItemRun, plan: CreatePlan): Promise<INodeExecutionData> {
	// A retry of the node returns the task its earlier try created (that try kept or deleted its image).
	const resumed = await resumeTask(run, plan);
	if (resumed) return { json: { ...taskJson(resumed), ...resumedInfo(run) } };
	await checkInput(run, plan);
	const image = await stageInput(run, plan);
	let task: SparkTask | undefined;
	try {
		task = await createTask(run, plan, image);
	} finally {
		// No task will ever fetch it: none was created, or it failed at once.
		if (task === undefined || task.status === 'failed') await releaseImage(run, image);
	}
	// A create the API answered with "failed" is an error the user sees, with the task id; a failed
	// task is never picked up again.
	if (task.status === 'failed') {
		if (run.resumeKey !== undefined) resumeRegistry.forget(run.resumeKey);
		throw new TaskFailedError(task, 1);
	}
	const stagedImage = keptImage(run, plan, image);
	return { json: { ...taskJson(task), ...(stagedImage ? { stagedImage } : {}) } };
}

export const create: Operation<CreatePlan> = { description, prepare, execute };
