import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { CreateTaskBody, SparkTask } from '../api/types';
import { buildCreateTaskBody, type PortraitInput } from '../api/validation';
import { checkImageOption, maxParallelOption, maxRetriesOption, optionsCollection, requestTimeoutOption } from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { CREATE_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import { TaskFailedError } from '../helpers/errors';
import { fetchCheckedInputImage } from '../helpers/inputImage';
import { taskJson } from '../helpers/output';
import { readOptions, runSettings } from '../helpers/settings';
import type { ItemRun, Operation } from './types';

export const description = updateDisplayOptions({ show: { operation: ['create'] } }, [
	toolDescriptionField(CREATE_TOOL_DESCRIPTION),
	...withToolDefaults(portraitFields),
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

/** Creates one task; from here on the item's errors carry its id. */
export async function createTask(run: ItemRun, plan: CreatePlan): Promise<SparkTask> {
	const task = await run.client.createTask(plan.body, run.executionSignal);
	run.taskId = task.taskId;
	run.createdTaskIds.push(task.taskId);
	return task;
}

export async function execute(run: ItemRun, plan: CreatePlan): Promise<INodeExecutionData> {
	await checkInput(run, plan);
	const task = await createTask(run, plan);
	// A create the API answered with "failed" is an error the user sees, with the task id.
	if (task.status === 'failed') throw new TaskFailedError(task, 1);
	return { json: taskJson(task) };
}

export const create: Operation<CreatePlan> = { description, prepare, execute };
