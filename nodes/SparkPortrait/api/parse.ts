/**
 * The one place where response bodies are checked. Tolerant where the document is vague (field
 * names of the task id, an optional `data` envelope, synonyms of the status words), strict where
 * it is not: a body with no task id or no recognisable status is an error, never a guess.
 */
import { normaliseErrorCode } from './errorCodes';
import { normaliseStatus } from './status';
import type { SparkImage, SparkTask, SparkTaskError, SparkUsage } from './types';

export class UnexpectedResponseError extends Error {
	constructor(
		message: string,
		readonly body: unknown,
	) {
		super(message);
		this.name = 'UnexpectedResponseError';
	}
}

/**
 * The API answered with an error code and no task id: nothing to poll, but the code says what
 * went wrong (a create refused, whatever HTTP status carried it).
 */
export class ApiRejectedError extends Error {
	constructor(
		readonly error: SparkTaskError,
		readonly body: unknown,
	) {
		super(`The Spark API refused the request with error ${error.code}`);
		this.name = 'ApiRejectedError';
	}
}

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

function parseImages(output: unknown): SparkImage[] {
	if (!Array.isArray(output)) return [];
	const images: SparkImage[] = [];
	for (const entry of output) {
		const content: unknown[] = isObject(entry) && Array.isArray(entry.content) ? entry.content : [entry];
		for (const item of content) {
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

function parseUsage(usage: unknown): SparkUsage | undefined {
	if (!isObject(usage)) return undefined;
	const cost = typeof usage.cost === 'number' ? String(usage.cost) : usage.cost;
	const discount = typeof usage.discount === 'string' ? Number(usage.discount) : usage.discount;
	return {
		cost: typeof cost === 'string' ? cost : undefined,
		discount: typeof discount === 'number' && Number.isFinite(discount) ? discount : undefined,
	};
}

/** `error` objects carry `code` and `error_message`; code 0 is the document's "no error". */
export function parseTaskError(error: unknown): SparkTaskError | undefined {
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
export function findApiError(body: unknown): SparkTaskError | undefined {
	if (!isObject(body)) return undefined;
	const data = isObject(body.data) ? body.data : undefined;
	return parseTaskError(body.error)
		?? parseTaskError(data?.error)
		?? parseTaskError(body)
		?? parseTaskError(data);
}

/**
 * Reads a create or status response into a SparkTask. `expectedTaskId` fills in the id when a
 * status response omits it (the id is then known from the request path).
 */
export function parseTask(body: unknown, expectedTaskId?: string): SparkTask {
	const task = unwrapEnvelope(body);
	if (!task) {
		throw new UnexpectedResponseError('The Spark API answered with something that is not a JSON object', body);
	}
	const taskId = firstString(task, ['id', 'task_id', 'taskId']) ?? expectedTaskId;
	const rawStatus = firstString(task, ['status', 'state', 'task_status']);
	let status = rawStatus === undefined ? undefined : normaliseStatus(rawStatus);
	// The task's own error first; an envelope's code counts only when no status says otherwise.
	const error = parseTaskError(task.error) ?? (status === undefined || status === 'failed' ? findApiError(body) : undefined);
	if (!taskId) {
		if (error) throw new ApiRejectedError(error, body);
		throw new UnexpectedResponseError('The Spark API response has no task id (looked for id, task_id, taskId)', body);
	}
	if (status === undefined && rawStatus === undefined && error) status = 'failed';
	if (status === undefined) {
		throw new UnexpectedResponseError(
			rawStatus === undefined
				? `The Spark API response for task ${taskId} has no status`
				: `The Spark API reported an unknown status "${rawStatus}" for task ${taskId}`,
			body,
		);
	}
	return {
		taskId,
		status,
		rawStatus: rawStatus ?? status,
		images: parseImages(task.output),
		usage: parseUsage(task.usage),
		metadata: isObject(task.metadata) ? task.metadata : undefined,
		error: status === 'failed' ? (error ?? { code: 'unknown', message: 'The task failed without an error code' }) : error,
	};
}
