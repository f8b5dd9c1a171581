import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { CreateTaskBody, SparkTask } from '../api/types';
import { buildCreateTaskBody, type PortraitInput } from '../api/validation';
import { checkImageOption, maxParallelOption, maxRetriesOption, optionsCollection, requestTimeoutOption } from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { TaskFailedError } from '../helpers/errors';
import { fetchCheckedInputImage } from '../helpers/inputImage';
import { taskJson } from '../helpers/output';
import { resumeKey, resumeRegistry } from '../helpers/resume';
import { readOptions, runSettings } from '../helpers/settings';
import { abandonOnAbort } from '../transport/clock';
import type { ItemRun, Operation } from './types';

export const description = updateDisplayOptions({ show: { operation: ['create'] } }, [
	...portraitFields,
	optionsCollection([checkImageOption, maxParallelOption, maxRetriesOption, requestTimeoutOption]),
]);

export interface CreatePlan {
	body: CreateTaskBody;
	checkImage: boolean;
}

function readPortraitInput(ctx: IExecuteFunctions, itemIndex: number): PortraitInput {
	const get = (name: string) => ctx.getNodeParameter(name, itemIndex, undefined);
	return {
		model: get('model'),
		imageUrl: get('imageUrl'),
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

export function prepare(ctx: IExecuteFunctions, itemIndex: number): CreatePlan {
	return {
		body: buildCreateTaskBody(readPortraitInput(ctx, itemIndex)),
		checkImage: runSettings(readOptions(ctx, itemIndex)).checkImage,
	};
}

/** Check Image First: the input image is fetched and checked once per item, before anything is billed. */
export async function checkInput(run: ItemRun, plan: CreatePlan): Promise<void> {
	if (!plan.checkImage) return;
	await fetchCheckedInputImage(run.client, plan.body.image_input, run.signal);
}

/**
 * Creates one task; from here on the item's errors carry its id. The create is recorded for a
 * retry of the node before it is sent. A batch stop (another item failed) stops the wait for its
 * answer but not the request: the task it may create is recorded when the answer arrives, for the
 * retry to pick up.
 */
export async function createTask(run: ItemRun, plan: CreatePlan): Promise<SparkTask> {
	const created = run.client.createTask(plan.body, run.executionSignal);
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
	return task;
}

/**
 * The task an earlier try of this node created for the item (n8n's Retry On Fail), if it has not
 * failed: its latest known state, waiting for its create answer if that is still on the way.
 */
export async function resumeTask(run: ItemRun, plan: CreatePlan): Promise<SparkTask | undefined> {
	if (!run.scope) return undefined;
	const key = resumeKey(run.scope, run.itemIndex, plan.body);
	const entry = resumeRegistry.resume(key);
	if (!entry) return undefined;
	run.resumeKey = key;
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

/** The item's task: the one an earlier try created, or a new one (input checked first). */
export async function resumeOrCreate(run: ItemRun, plan: CreatePlan): Promise<SparkTask> {
	const resumed = await resumeTask(run, plan);
	if (resumed) return resumed;
	await checkInput(run, plan);
	return await createTask(run, plan);
}

export async function execute(run: ItemRun, plan: CreatePlan): Promise<INodeExecutionData> {
	const task = await resumeOrCreate(run, plan);
	// A create the API answered with "failed" is an error the user sees, with the task id; a failed
	// task is never picked up again.
	if (task.status === 'failed') {
		if (run.resumeKey !== undefined) resumeRegistry.forget(run.resumeKey);
		throw new TaskFailedError(task, 1);
	}
	return { json: { ...taskJson(task), ...resumedInfo(run) } };
}

export const create: Operation<CreatePlan> = { description, prepare, execute };
