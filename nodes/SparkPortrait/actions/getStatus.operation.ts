import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { validateTaskId } from '../api/validation';
import {
	binaryPropertyOption,
	downloadImageOption,
	maxParallelOption,
	maxResultSizeOption,
	maxRetriesOption,
	optionsCollection,
	requestTimeoutOption,
} from '../descriptions/options';
import { STATUS_TOOL_DESCRIPTION, toolDescriptionField, withToolDefaults } from '../descriptions/toolMode';
import { downloadImages, taskJson } from '../run/output';
import type { ItemRun } from '../run/itemRun';
import { outputSettings, readOptions, runsAsTool } from '../descriptions/settings';

export const description = updateDisplayOptions({ show: { operation: ['getStatus'] } }, [
	toolDescriptionField(STATUS_TOOL_DESCRIPTION),
	...withToolDefaults([{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.taskId }}',
		description: 'The ID a Create Task (or a timed-out Edit Portrait) returned in its taskId field',
	}]),
	optionsCollection([binaryPropertyOption, downloadImageOption, maxParallelOption, maxResultSizeOption, maxRetriesOption, requestTimeoutOption]),
]);

export type GetStatusPlan = ReturnType<typeof prepare>;

export function prepare(ctx: IExecuteFunctions, itemIndex: number) {
	return {
		taskId: validateTaskId(ctx.getNodeParameter('taskId', itemIndex, '')),
		output: outputSettings(readOptions(ctx, itemIndex), runsAsTool(ctx)),
	};
}

/** One status read; a completed task comes out exactly as Edit Portrait returns it. */
export async function execute(run: ItemRun, plan: GetStatusPlan): Promise<INodeExecutionData> {
	run.record.recordRead(plan.taskId);
	const { task } = await run.client.readTask(plan.taskId, run.signal);
	const binary = task.status === 'completed' && task.images.length > 0 && plan.output.download
		? await downloadImages(run, task, plan.output)
		: undefined;
	return { json: taskJson(task), ...(binary ? { binary } : {}) };
}
