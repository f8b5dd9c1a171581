/**
 * The one place where response bodies are checked. Tolerant where Vtrix's sources differ (`id` or
 * `task_id`, the status words of its model pages and of its client's docs, `created_at` as seconds
 * or ISO text, `error` as text or as an object, an optional `data` envelope), strict where they
 * agree: a body with no task id or no recognisable status is an error, never a guess.
 */
import { NO_ERROR_CODE, normaliseErrorCode } from '../errors/errorCodes';
import { ApiRejectedError, UnexpectedResponseError, type ApiError, type ErrorReply } from '../errors/failures';
import { MAX_TASK_IMAGES } from '../descriptions/limits';
import { normaliseStatus } from './status';
import type { SparkImage, SparkTask, SparkUsage } from './types';



type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(source: JsonObject, keys: string[]): string | undefined {
	for (const key of keys) {
		const value = source[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return undefined;
}

/** Some gateways wrap the task as `{ code, message, data: {...} }`. */
function unwrapEnvelope(body: unknown): JsonObject | undefined {
	if (!isObject(body)) return undefined;
	const hasOwnTask = ['id', 'task_id', 'taskId', 'status'].some((key) => key in body);
	return !hasOwnTask && isObject(body.data) ? body.data : body;
}

/** The result images, at most MAX_TASK_IMAGES of them: a task answer listing thousands is not downloaded thousands of times. */
function parseImages(output: unknown): SparkImage[] {
	if (!Array.isArray(output)) return [];
	const images: SparkImage[] = [];
	for (const entry of output) {
		const content: unknown[] = isObject(entry) && Array.isArray(entry.content) ? entry.content : [entry];
		for (const item of content) {
			if (images.length >= MAX_TASK_IMAGES) return images;
			if (!isObject(item) || typeof item.url !== 'string' || item.url === '') continue;
			images.push({
				type: typeof item.type === 'string' ? item.type : 'image',
				url: item.url,
				size: typeof item.size === 'number' ? item.size : undefined,
				jobId: firstString(item, ['jobId', 'job_id']),
			});
		}
	}
	return images;
}

/** A number, or the same as text (Vtrix sends `cost` and `unit_price` as strings). */
function toNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** A price as Vtrix writes it, text; a number becomes its text. */
function toPrice(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Only the fields the answer has, so an item never shows a key without a value. */
function parseUsage(usage: unknown): SparkUsage | undefined {
	if (!isObject(usage)) return undefined;
	const fields: SparkUsage = {
		cost: toPrice(usage.cost),
		quantity: toNumber(usage.quantity),
		unitPrice: toPrice(usage.unit_price),
		discount: toNumber(usage.discount),
	};
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as SparkUsage;
}

/**
 * `created_at` as ISO text: Vtrix's model pages give Unix seconds, its client's docs ISO text.
 * A number too large for seconds (after the year 5000) is taken as milliseconds.
 */
function parseCreatedAt(value: unknown): string | undefined {
	const number = toNumber(value);
	if (number !== undefined) {
		const ms = number >= 1e11 ? number : number * 1000;
		return number > 0 ? new Date(ms).toISOString() : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/**
 * `progress` as Vtrix documents it, a share from 0 to 1 (a number, or the same as text). Anything
 * outside that range is left out rather than guessed at (a percentage would read as "done").
 */
function parseProgress(value: unknown): number | undefined {
	const number = toNumber(value);
	return number !== undefined && number >= 0 && number <= 1 ? number : undefined;
}

/**
 * `error` in the three forms Vtrix uses: `{code, error_message}` (this model's page), `{code,
 * message}` (its other model pages) and plain text (its client). Code 0 is the document's "no
 * error"; text has no code.
 */
export function parseTaskError(error: unknown): ApiError | undefined {
	if (typeof error === 'string') return error.trim() === '' ? undefined : { code: NO_ERROR_CODE, message: error.trim() };
	if (!isObject(error)) return undefined;
	const code = normaliseErrorCode(error.code);
	if (code === undefined || /^0+$/.test(code)) return undefined;
	const message = firstString(error, ['error_message', 'message', 'msg']) ?? '';
	return { code, message };
}

/**
 * The error an answer carries, in any shape the API or a gateway in front of it uses:
 * `error{code,error_message}`, `data.error`, or `code` with `message`/`msg` at the top level or in
 * `data`. A code of 0 is "no error".
 */
export function findApiError(body: unknown): ApiError | undefined {
	if (!isObject(body)) return undefined;
	const data = isObject(body.data) ? body.data : undefined;
	return parseTaskError(body.error)
		?? parseTaskError(data?.error)
		?? parseTaskError(body)
		?? parseTaskError(data);
}

/**
 * The reason an error answer gives: a coded error in any shape above, or a bare `message` / `error`
 * text (what Vtrix's client reads from an error body).
 */
export function errorText(body: unknown): string | undefined {
	const coded = findApiError(body)?.message;
	if (coded) return coded;
	return isObject(body) ? firstString(body, ['message', 'msg']) : undefined;
}

/**
 * Reads a create or status response into a SparkTask. `expectedTaskId` fills in the id when a
 * status response omits it (the id is then known from the request path).
 */
export function parseTask(body: unknown, expectedTaskId?: string): SparkTask {
	const task = unwrapEnvelope(body);
	if (!task) {
		throw new UnexpectedResponseError('The Vtrix API answered with something that is not a JSON object', body);
	}
	const taskId = firstString(task, ['id', 'task_id', 'taskId']) ?? expectedTaskId;
	const rawStatus = firstString(task, ['status', 'state', 'task_status']);
	let status = rawStatus === undefined ? undefined : normaliseStatus(rawStatus);
	// The task's own error first; an envelope's code counts only when no status says otherwise.
	const error = parseTaskError(task.error) ?? (status === undefined || status === 'failed' ? findApiError(body) : undefined);
	if (!taskId) {
		if (error) throw new ApiRejectedError(error);
		throw new UnexpectedResponseError('The Vtrix API response has no task id (looked for id, task_id, taskId)', body);
	}
	if (status === undefined && rawStatus === undefined && error) status = 'failed';
	if (status === undefined) {
		throw new UnexpectedResponseError(
			rawStatus === undefined
				? `The Vtrix API response for task ${taskId} has no status`
				: `The Vtrix API reported an unknown status "${rawStatus}" for task ${taskId}`,
			body,
		);
	}
	const progress = parseProgress(task.progress);
	const createdAt = parseCreatedAt(task.created_at);
	return {
		taskId,
		status,
		rawStatus: rawStatus ?? status,
		...(progress === undefined ? {} : { progress }),
		...(createdAt === undefined ? {} : { createdAt }),
		images: parseImages(task.output),
		usage: parseUsage(task.usage),
		metadata: isObject(task.metadata) ? task.metadata : undefined,
		error: status === 'failed' ? (error ?? { code: NO_ERROR_CODE, message: 'The task failed without an error code' }) : error,
	};
}

/** What a message needs of an error answer: the coded error, and the reason it gives. */
export function describeErrorReply(body: unknown): ErrorReply {
	return { apiError: findApiError(body), text: errorText(body) };
}
