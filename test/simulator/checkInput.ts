import sharp from 'sharp';

import { CODE, taskError } from './errorCodes';
import type { TaskError } from './types';

export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
export const MAX_INPUT_SIDE = 4096;

/** Detect by content, never by the URL's extension, as a real service must. */
export function sniffFormat(bytes: Buffer): 'jpeg' | 'png' | undefined {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
	const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	if (bytes.length >= png.length && png.every((byte, i) => bytes[i] === byte)) return 'png';
	return undefined;
}

/** The document's input requirements: JPG/PNG only, at most 5 MB, at most 4096 x 4096. */
export async function checkInput(bytes: Buffer, truncated: boolean): Promise<TaskError | undefined> {
	const sniffed = sniffFormat(bytes);
	if (!sniffed) return taskError(CODE.invalidFormat);
	if (truncated || bytes.length > MAX_INPUT_BYTES) {
		return taskError(CODE.invalidParameter, 'image_input exceeds the 5 MB file size limit');
	}
	let width: number | undefined;
	let height: number | undefined;
	try {
		const metadata = await sharp(bytes).metadata();
		if (metadata.format !== sniffed) return taskError(CODE.invalidFormat);
		({ width, height } = metadata);
	} catch {
		return taskError(CODE.invalidFormat);
	}
	if (!width || !height) return taskError(CODE.invalidFormat);
	if (width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE) {
		return taskError(CODE.invalidParameter, `image_input is ${width}x${height}, over the 4096x4096 resolution limit`);
	}
	return undefined;
}
