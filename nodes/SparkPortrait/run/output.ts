/** The item a task becomes: the same JSON whichever operation produced it, and the result images when asked for. */
import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { describeErrorCode } from '../errors/errorCodes';
import { SparkResponseTooLargeError, SparkResultNotImageError } from '../errors/failures';
import { FILE_EXTENSIONS, inspectImage, MIME_TYPES } from '../images/imageInfo';
import type { SparkTask, TaskStatus } from '../api/types';
import type { OutputSettings } from '../descriptions/settings';
import type { ItemRun } from './itemRun';

export function taskJson(task: SparkTask, status: TaskStatus = task.status): IDataObject {
	const json: IDataObject = {
		taskId: task.taskId,
		status,
	};
	if (task.progress !== undefined) json.progress = task.progress;
	if (task.createdAt !== undefined) json.createdAt = task.createdAt;
	if (task.images.length > 0) {
		json.imageUrl = task.images[0].url;
		json.images = task.images.map((image) => ({ url: image.url, size: image.size, jobId: image.jobId, type: image.type }));
	}
	if (task.usage) json.usage = { ...task.usage };
	if (task.metadata) json.metadata = task.metadata as IDataObject;
	if (task.error) {
		json.error = {
			code: task.error.code,
			error_message: task.error.message,
			description: describeErrorCode(task.error.code)?.title,
		};
	}
	if (status === 'timeout') json.lastStatus = task.status;
	if (task.notes) json.notes = [...task.notes];
	return json;
}

/**
 * The server's task id as part of a file name: only [A-Za-z0-9._-], so no path or odd character reaches a file system.
 * Exported for the trust test, which runs hostile ids through it without a download.
 */
export function fileNamePart(taskId: string): string {
	return taskId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
}

/**
 * Downloads each result image into binary data. Max Result Size holds for the item: each image
 * is read no further than what the images before it left of it. The buffer is handed to n8n at
 * once, so in n8n's filesystem mode no copy of it stays in memory.
 */
export async function downloadImages(run: ItemRun, task: SparkTask, settings: OutputSettings): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	let left = settings.maxResultBytes;
	const tooLarge = () => new SparkResponseTooLargeError('download', settings.maxResultBytes, task.images.length);
	for (const [index, image] of task.images.entries()) {
		// With nothing left of the cap an image is not asked for; either way the error names the item's cap, not what was left.
		if (left <= 0) throw tooLarge();
		const { data, mimeType } = await run.downloads.download(image.url, left, run.signal).catch((error: unknown) => {
			throw error instanceof SparkResponseTooLargeError ? tooLarge() : error;
		});
		left -= data.length;
		// Judged by its first bytes, not the Content-Type: an internal JSON answer is not saved as the result.
		const format = inspectImage(data).format;
		if (format === 'unknown') throw new SparkResultNotImageError(task.taskId, image.url, mimeType);
		const fileName = `spark-portrait-${fileNamePart(task.taskId)}${index === 0 ? '' : `-${index + 1}`}.${FILE_EXTENSIONS[format]}`;
		const key = index === 0 ? settings.binaryProperty : `${settings.binaryProperty}_${index + 1}`;
		binary[key] = await run.ctx.helpers.prepareBinaryData(data, fileName, MIME_TYPES[format]);
	}
	return binary;
}
