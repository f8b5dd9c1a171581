/** Create Task: starts the edit and returns the task at once, for workflows that wait elsewhere. */
import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { SparkTask } from '../api/types';
import { imageLinkExpiryOption } from '../descriptions/imageSource';
import { checkImageOption, maxParallelOption, maxRetriesOption, optionsCollection, requestTimeoutOption } from '../descriptions/options';
import { portraitFields } from '../descriptions/portraitFields';
import { CREATE_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import type { ItemRun } from '../run/itemRun';
import { taskJson } from '../run/output';
import { prepareCreate, type CreatePlan } from '../run/createPlan';
import { checkInput, createTask, keptImage, resumedInfo, resumeTask, withStagedImage, type ItemImage } from '../run/taskLifecycle';
import { TaskFailedError } from '../errors/failures';

export const description = updateDisplayOptions({ show: { operation: ['create'] } }, [
	toolDescriptionField(CREATE_TOOL_DESCRIPTION),
	...withToolDefaults(portraitFields),
	optionsCollection([checkImageOption, imageLinkExpiryOption, maxParallelOption, maxRetriesOption, requestTimeoutOption]),
]);

export async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<CreatePlan> {
	return await prepareCreate(ctx, itemIndex, false);
}

/**
 * Create Task does not wait for the task, so a staged image stays in the bucket (the output
 * names its key); only when no task was created is it deleted at once.
 */
export async function execute(run: ItemRun, plan: CreatePlan): Promise<INodeExecutionData> {
	// A retry of the node returns the task its earlier try created, naming the image it staged for it.
	const resumed = await resumeTask(run, plan);
	if (resumed) return withStagedImage({ json: { ...taskJson(resumed), ...resumedInfo(run) } }, keptImage(run, {}));
	await checkInput(run, plan);
	const image: ItemImage = {};
	let task: SparkTask | undefined;
	try {
		task = await createTask(run, plan, image);
	} finally {
		// No task will ever fetch it: none was created, or it failed at once.
		if (task === undefined || task.status === 'failed') await run.record.release(image.staged);
	}
	// A create the API answered with "failed" is an error the user sees, with the task id.
	if (task.status === 'failed') {
		run.record.seen(task);
		throw new TaskFailedError(task, 1);
	}
	return withStagedImage({ json: taskJson(task) }, keptImage(run, image));
}
