/**
 * Binary input: read through n8n's binary helper (so every binary data mode works), staged in the
 * user's bucket for the API to fetch through a presigned GET URL, deleted when the caller is done.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { binaryImage, checkInputImage } from '../images/imageCheck';
import { FILE_EXTENSIONS } from '../images/imageInfo';
import type { StagingTarget } from './bucketTarget';
import type { StagingClient } from './bucketClient';
import { stagingFailureText } from '../errors/messages';
import { InputError } from '../errors/failures';

export interface StagedImage {
	bucket: string;
	key: string;
	/** The presigned link of the latest create request, once there is one, and when it stops working. */
	url?: string;
	urlExpiresAt?: string;
}

/** Reads the item's binary field and applies the API's limits; nothing is sent. */
export async function readInputImage(ctx: IExecuteFunctions, itemIndex: number, binaryField: string) {
	const field = binaryImage(binaryField).field;
	if (ctx.getInputData()[itemIndex]?.binary?.[binaryField] === undefined) {
		throw new InputError(field, `is not in the input item: the item has no binary data named "${binaryField}". Set Input Binary Field to the name the previous node used.`);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryField);
	return { data, format: checkInputImage(data, binaryImage(binaryField)).format };
}

/** Under the Key Prefix, a key of 128 random bits: nobody can guess or list their way to it (listing needs its own permission). */
export function newStagedImage(target: StagingTarget, format: keyof typeof FILE_EXTENSIONS): StagedImage {
	return { bucket: target.bucket, key: `${target.keyPrefix}${randomBytes(16).toString('hex')}.${FILE_EXTENSIONS[format]}` };
}

/** Never throws: a failed delete is reported with the item, the task result is not lost over it. */
export async function unstageImage(client: StagingClient, staged: StagedImage): Promise<IDataObject> {
	try {
		await client.deleteObject(staged.key);
		return { bucket: staged.bucket, key: staged.key, deleted: true };
	} catch (error) {
		return { bucket: staged.bucket, key: staged.key, deleted: false, deleteError: `${stagingFailureText(error)} Delete the object by hand.` };
	}
}

/** What an item's error says about an object a delete left in the bucket; undefined when it was deleted. */
export function undeletedNote(result: IDataObject): string | undefined {
	if (result.deleted === true) return undefined;
	return `The staged image ${String(result.bucket)}/${String(result.key)} could not be deleted: ${String(result.deleteError)}`;
}

/** The output entry for an object left in the bucket: the link is what a later step needs. */
export function keptImageJson(staged: StagedImage): IDataObject {
	return { bucket: staged.bucket, key: staged.key, deleted: false, url: staged.url, urlExpiresAt: staged.urlExpiresAt };
}
