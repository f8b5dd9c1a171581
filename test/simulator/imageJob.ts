import { checkInput, MAX_INPUT_BYTES } from './checkInput';
import { editImage, plainImage } from './editImage';
import { CODE, taskError } from './errorCodes';
import { fetchInput } from './fetchInput';
import type { ImageWork, TaskError, TaskParams } from './types';

export type ImageResult = { ok: true; bytes: Buffer } | { ok: false; error: TaskError };

/** The whole image side of a task: fetch the input, check it against the document's limits, edit it (or, cheap, stand in for the edit). */
export async function runImageJob(params: TaskParams, fetchTimeoutMs: number, signal: AbortSignal, work: ImageWork): Promise<ImageResult> {
	const fetched = await fetchInput(params.image_input, { maxBytes: MAX_INPUT_BYTES, timeoutMs: fetchTimeoutMs, maxRedirects: 3, signal });
	if (!fetched.ok) return { ok: false, error: taskError(CODE.httpError, fetched.detail) };
	const problem = await checkInput(fetched.bytes, fetched.truncated);
	if (problem) return { ok: false, error: problem };
	try {
		return { ok: true, bytes: work === 'realistic' ? await editImage(fetched.bytes, params) : await plainImage(params) };
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { ok: false, error: taskError(CODE.internal, detail) };
	}
}
