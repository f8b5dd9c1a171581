import type { IExecuteFunctions } from 'n8n-workflow';

import { buildCreateTaskBody, PORTRAIT_PARAMETERS, type PortraitInput } from '../api/validation';
import { readInputImage } from '../staging/binaryInput';
import { binarySource, readOptions, runSettings } from '../descriptions/settings';

export type CreatePlan = Awaited<ReturnType<typeof prepareCreate>>;

/** Binary input gets its URL (a presigned link) per create request; this stand-in lets the other fields be checked first. */
const STAGED_IMAGE_PENDING = 'https://staged-image.invalid/';

function readPortraitInput(ctx: IExecuteFunctions, itemIndex: number, binary: boolean): PortraitInput {
	const read = (name: string) => (binary && name === 'imageUrl' ? STAGED_IMAGE_PENDING : ctx.getNodeParameter(name, itemIndex, undefined));
	return Object.fromEntries(PORTRAIT_PARAMETERS.map((name) => [name, read(name)])) as PortraitInput;
}

/**
 * Reads and checks the item's parameters; a binary input image is read and checked here too, so
 * a bad image in any item stops the run before anything is uploaded or created.
 */
export async function prepareCreate(ctx: IExecuteFunctions, itemIndex: number, canDeleteStaged: boolean) {
	const binary = binarySource(ctx, itemIndex, canDeleteStaged);
	const body = buildCreateTaskBody(readPortraitInput(ctx, itemIndex, binary !== undefined));
	if (binary) await readInputImage(ctx, itemIndex, binary.binaryField);
	return { body, checkImage: !binary && runSettings(readOptions(ctx, itemIndex)).checkImage, binary };
}
