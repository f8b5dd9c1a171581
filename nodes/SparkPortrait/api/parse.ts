/**
 * The one place where response bodies are checked. Tolerant where Vtrix's sources differ (`id` or
 * `task_id`, the status words of its model pages and of its client's docs, `created_at` as seconds
 * or ISO text, `error` as text or as an object, an optional `data` envelope), strict where they
 * agree: a body with no task id or no recognisable status is an error, never a guess.
 */
import { NO_ERROR_CODE, normaliseErrorCode } from '../errors/errorCodes';
import { ApiRejectedError, UnexpectedResponseError, type ApiError, type ErrorReply } from '../errors/failures';
import { MAX_TASK_IMAGES } from './constants';
import { keptJson, keptJsonNote, keptText, KEPT_JSON_LIMITS } from './keptJson';
import { normaliseStatus } from './status';
import { toNumber } from './validation';
import type { SparkImage, SparkTask, SparkUsage } from './types';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text as the API writes it, trimmed and not empty; a number (an id, a price) becomes its text. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function firstString(source: JsonObject, keys: string[]): string | undefined {
	return keys.map((key) => textOf(source[key])).find((text) => text !== undefined);
}

/** Some gateways wrap the task as `{ code, message, data: {...} }`. */
function unwrapEnvelope(body: unknown): JsonObject | undefined {
	if (!isObject(body)) return undefined;
	const hasOwnTask = ['id', 'task_id', 'taskId', 'status'].some((key) => key in body);
	return !hasOwnTask && isObject(body.data) ? body.data : body;
}

/**
 * What an answer held that the node could not use, one note per field, for the output's notes.
 * An optional field is read through `optional`, which cannot throw: a value the node cannot read
 * (of the wrong type, out of range, or one that breaks its reader) is left out and noted.
 */
class Notes {
	private readonly kept: string[] = [];
	private more = 0;

	/** At most MAX_NOTES, then how many more: an answer of thousands of odd entries gives a short list. */
	get list(): string[] {
		return this.more === 0 ? this.kept : [...this.kept, `and ${this.more} more notes like these`];
	}

	add(note: string): void {
		if (this.kept.length < MAX_NOTES) this.kept.push(note);
		else this.more++;
	}

	optional<T>(name: string, value: unknown, read: (value: unknown, notes: Notes) => T | undefined, what: string): T | undefined {
		if (value === undefined || value === null) return undefined;
		let result: T | undefined;
		try {
			result = read(value, this);
		} catch {
			result = undefined;
		}
		if (result === undefined) this.add(`${name} ${shown(value)} is not ${what}; left out`);
		return result;
	}

	/** Text passed through to the output, within the node's bound for texts. */
	text(name: string, value: unknown, read: (value: unknown) => string | undefined = (text) => (typeof text === 'string' ? text : undefined), what = 'text'): string | undefined {
		const text = this.optional(name, value, read, what);
		if (text === undefined) return undefined;
		const kept = keptText(text);
		if (kept !== text) this.add(`${name} was cut to ${KEPT_JSON_LIMITS.maxTextChars} characters`);
		return kept;
	}
}

const MAX_NOTES = 20;

/** A result URL is kept exact (it is downloaded); one this long is no link a CDN gives. */
const MAX_URL_CHARS = 16 * 1024;

/** A value in a note: short, one line, never the whole of what the server sent. */
function shown(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (Array.isArray(value)) return `[a list of ${value.length}]`;
	if (isObject(value)) return '{an object}';
	return String(value);
}

function imageOf(item: unknown, notes: Notes): SparkImage | undefined {
	if (!isObject(item) || typeof item.url !== 'string' || item.url === '') return undefined;
	if (item.url.length > MAX_URL_CHARS) {
		notes.add(`output image url of ${item.url.length} characters is longer than any link the node follows (${MAX_URL_CHARS}); left out`);
		return undefined;
	}
	const type = notes.text('output image type', item.type);
	const size = notes.optional('output image size', item.size, (value) => (typeof value === 'number' && value >= 0 ? value : undefined), 'a number of bytes');
	const jobId = notes.text('output image jobId', item.jobId ?? item.job_id, textOf);
	return { type: type ?? 'image', url: item.url, size, jobId };
}

/** The result images, at most MAX_TASK_IMAGES of them: a task answer listing thousands is not downloaded thousands of times. */
function parseImages(output: unknown, notes: Notes): SparkImage[] | undefined {
	if (!Array.isArray(output)) return undefined;
	const images: SparkImage[] = [];
	let more = 0;
	for (const entry of output) {
		const content: unknown[] = isObject(entry) && Array.isArray(entry.content) ? entry.content : [entry];
		for (const item of content) {
			// Past the cap an entry is only counted, not read.
			if (images.length >= MAX_TASK_IMAGES) more += isObject(item) && typeof item.url === 'string' && item.url !== '' ? 1 : 0;
			else {
				const image = imageOf(item, notes);
				if (image) images.push(image);
			}
		}
	}
	if (more > 0) notes.add(`output lists ${images.length + more} images; the first ${MAX_TASK_IMAGES} are kept`);
	return images;
}

/** Only the fields the answer has, so an item never shows a key without a value. */
function parseUsage(usage: unknown, notes: Notes): SparkUsage | undefined {
	if (!isObject(usage)) return undefined;
	const fields: SparkUsage = {
		cost: notes.text('usage.cost', usage.cost, textOf, 'a price'),
		quantity: notes.optional('usage.quantity', usage.quantity, toNumber, 'a number'),
		unitPrice: notes.text('usage.unit_price', usage.unit_price, textOf, 'a price'),
		discount: notes.optional('usage.discount', usage.discount, toNumber, 'a number'),
	};
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as SparkUsage;
}

/** What a JavaScript Date holds: 100,000,000 days either side of 1970. */
const MAX_TIME_MS = 8.64e15;

/**
 * `created_at` as ISO text: Vtrix's model pages give Unix seconds, its client's docs ISO text.
 * A number too large for seconds (after the year 5000) is taken as milliseconds; one past what
 * a Date holds (nanoseconds, say) is no time.
 */
function parseCreatedAt(value: unknown): string | undefined {
	const number = toNumber(value);
	if (number !== undefined) {
		const ms = number >= 1e11 ? number : number * 1000;
		return number > 0 && ms <= MAX_TIME_MS ? new Date(ms).toISOString() : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/** A share from 0 to 1, as Vtrix documents `progress`; anything else is left out, not guessed at (a percentage would read as "done"). */
function parseProgress(value: unknown): number | undefined {
	const number = toNumber(value);
	return number !== undefined && number >= 0 && number <= 1 ? number : undefined;
}

/**
 * `error` in the three forms Vtrix uses: `{code, error_message}` (this model's page), `{code,
 * message}` (its other model pages) and plain text (its client). Code 0 is the document's "no
 * error"; text has no code.
 */
function parseTaskError(error: unknown): ApiError | undefined {
	if (typeof error === 'string') return error.trim() === '' ? undefined : { code: NO_ERROR_CODE, message: keptText(error.trim()) };
	if (!isObject(error)) return undefined;
	const code = normaliseErrorCode(error.code);
	if (code === undefined || /^0+$/.test(code)) return undefined;
	const message = keptText(firstString(error, ['error_message', 'message', 'msg']) ?? '');
	return { code: keptText(code), message };
}

/** The error an answer carries, wherever the API or a gateway in front of it puts it: in `error`, at the top level, or in `data`. */
export function findApiError(body: unknown): ApiError | undefined {
	if (!isObject(body)) return undefined;
	const data = isObject(body.data) ? body.data : undefined;
	return parseTaskError(body.error)
		?? parseTaskError(data?.error)
		?? parseTaskError(body)
		?? parseTaskError(data);
}

/** The reason an error answer gives, coded or a bare `message` or `error` text (what Vtrix's client reads from an error body). */
export function errorText(body: unknown): string | undefined {
	const coded = findApiError(body)?.message;
	if (coded) return coded;
	const text = isObject(body) ? firstString(body, ['message', 'msg']) : undefined;
	return text === undefined ? undefined : keptText(text);
}

/** An error field that says "no error": empty text, or code 0 (the document's). */
function saysNoError(error: unknown): boolean {
	if (typeof error === 'string') return error.trim() === '';
	return isObject(error) && /^0+$/.test(normaliseErrorCode(error.code) ?? '');
}

/**
 * Reads a create or status response into a SparkTask. `knownTaskId` is the id a status read asked
 * for: the run ledger holds it already, and it fills in the id when the answer omits it.
 *
 * The rule: once an answer names a task id, nothing here throws. That task exists and may be paid
 * for, and the ledger records its id only when this returns; an error before that would lose it
 * (and n8n's Retry On Fail would pay for another). So a bad optional field is left out and noted,
 * and so is a create answer's unknown status (read as pending). Only a status read, whose id is
 * recorded already, may still end in an error for its status.
 */
export function parseTask(body: unknown, knownTaskId?: string): SparkTask {
	const task = unwrapEnvelope(body);
	if (!task) {
		throw new UnexpectedResponseError('The Vtrix API answered with something that is not a JSON object');
	}
	const taskId = firstString(task, ['id', 'task_id', 'taskId']) ?? knownTaskId;
	const rawStatus = firstString(task, ['status', 'state', 'task_status']);
	let status = rawStatus === undefined ? undefined : normaliseStatus(rawStatus);
	// The task's own error first; an envelope's code counts only when no status says otherwise.
	const error = parseTaskError(task.error) ?? (status === undefined || status === 'failed' ? findApiError(body) : undefined);
	if (!taskId) {
		if (error) throw new ApiRejectedError(error);
		throw new UnexpectedResponseError('The Vtrix API response has no task id (looked for id, task_id, taskId)');
	}
	if (status === undefined && rawStatus === undefined && error) status = 'failed';
	const notes = new Notes();
	if (status === undefined) {
		if (knownTaskId !== undefined) {
			throw new UnexpectedResponseError(
				rawStatus === undefined
					? `The Vtrix API response for task ${taskId} has no status`
					: `The Vtrix API reported an unknown status "${rawStatus}" for task ${taskId}`,
			);
		}
		notes.add(`${rawStatus === undefined ? 'status is missing' : `status ${shown(rawStatus)} is not a status the node knows`}; taken as pending: read the task with Get Task Status`);
		status = 'pending';
	}
	if (task.error !== undefined && task.error !== null && !saysNoError(task.error) && parseTaskError(task.error) === undefined) {
		notes.add(`error ${shown(task.error)} has no code or text the node can read; left out`);
	}
	const progress = notes.optional('progress', task.progress, parseProgress, 'a share from 0 to 1');
	const createdAt = notes.optional('created_at', task.created_at, parseCreatedAt, 'a time');
	const images = notes.optional('output', task.output, parseImages, 'a list of images') ?? [];
	const usage = notes.optional('usage', task.usage, parseUsage, 'an object of costs');
	const metadata = notes.optional('metadata', task.metadata, (value) => (isObject(value) ? keptJson(value) : undefined), 'an object');
	if (metadata?.cut) notes.add(keptJsonNote('metadata'));
	return {
		taskId,
		status,
		rawStatus: keptText(rawStatus ?? status),
		...(progress === undefined ? {} : { progress }),
		...(createdAt === undefined ? {} : { createdAt }),
		images,
		usage,
		metadata: metadata?.value,
		error: status === 'failed' ? (error ?? { code: NO_ERROR_CODE, message: 'The task failed without an error code' }) : error,
		...(notes.list.length === 0 ? {} : { notes: notes.list }),
	};
}

export function describeErrorReply(body: unknown): ErrorReply {
	return { apiError: findApiError(body), text: errorText(body) };
}
