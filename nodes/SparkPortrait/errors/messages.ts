/**
 * The words a user reads when an item fails: a message naming what failed (the API, the Image URL, a result
 * URL, a redirect, the staging bucket) and a hint saying what to do about it. A network failure's reason
 * (often a code such as ECONNRESET) goes in the hint: n8n swaps a message that holds one for a generic text.
 */
import { describeErrorCode, MISSING_IMAGE_CODE, NO_ERROR_CODE } from './errorCodes';
import type {
	ApiError,
	ApiRejectedError,
	InputError,
	ItemStage,
	ItemTimeoutError,
	NoImageError,
	SparkHttpError,
	SparkNetworkError,
	SparkPausedError,
	SparkResultNotImageError,
	SparkRefusedError,
	SparkRedirectError,
	SparkResponseTooLargeError,
	StagingOperation,
	TaskFailedError,
	TaskTimeoutError,
	UnexpectedResponseError,
} from './failures';
import { StagingHttpError, StagingNetworkError } from './failures';

export interface Wording {
	message: string;
	/** What to do about it; for a row that says namesTask, translate.ts adds the task id and how to pick the task up. */
	hint: string;
}

const NOT_BILLED = 'Nothing was sent to the Vtrix API, so nothing was billed.';

/** The host of a URL, as a message names it; text that is no URL is named as it is. */
export function hostOf(url: string): string {
	return URL.canParse(url) ? new URL(url).host : url.slice(0, 100);
}

/** A size as a message writes it: megabytes to one decimal, "6 MB" rather than "6.0 MB". */
export function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** The hint, then the task id and how to pick the task up in the words of its real state (`completed`: only the download failed). */
export function withTaskId(hint: string, taskId: string | undefined, completed = false): string {
	if (!taskId) return hint;
	const pickUp = completed
		? `Task ID: ${taskId}. The task has completed; only its image was not downloaded. Get Task Status with this Task ID reads it again (with a fresh result URL) without creating a new task.`
		: `Task ID: ${taskId}. The task may still finish: read it with the Get Task Status operation and this Task ID.`;
	return `${hint} ${pickUp}`.trim();
}

export function withNotes(description: string | null | undefined, notes: readonly string[]): string {
	return [description, ...notes].filter(Boolean).join(' ');
}

function nothingBilled(taskId: string | undefined): string {
	return taskId === undefined ? 'No task was created, so nothing was billed.' : '';
}

function codeWords(error: ApiError): Wording {
	if (error.code === NO_ERROR_CODE) {
		return { message: `Vtrix API error: ${error.message || 'no reason given'}`, hint: 'The API gave no error code.' };
	}
	const known = describeErrorCode(error.code);
	const detail = error.message && error.message !== known?.title ? ` (${error.message})` : '';
	return {
		message: `Vtrix API error ${error.code}: ${known?.title ?? 'Unknown error'}${detail}`,
		hint: known?.hint ?? 'The API document does not list this code.',
	};
}

export function inputWords(error: InputError, taskId: string | undefined): Wording {
	// A task id the server sent can be refused too (e.g. ".."), after the task was created.
	return { message: error.message, hint: taskId === undefined ? NOT_BILLED : withTaskId('', taskId) };
}

export function taskFailedWords(error: TaskFailedError): Wording {
	const { message, hint } = codeWords(error.task.error ?? { code: NO_ERROR_CODE, message: '' });
	const attempts = error.attempts > 1 ? ` It was created ${error.attempts} times in all.` : '';
	return { message: `Task ${error.task.taskId} failed. ${message}`, hint: `${hint}${attempts} Task ID: ${error.task.taskId}.` };
}

export function taskTimeoutWords(error: TaskTimeoutError): Wording {
	const lastRead = error.lastReadFailure === undefined ? '' : `The last status read had not succeeded (${error.lastReadFailure}).`;
	return {
		message: `Task ${error.taskId} was still ${error.lastStatus} after ${Math.round(error.waitedMs / 1000)} s (Wait Timeout)`,
		hint: `${withTaskId(lastRead, error.taskId)} Or raise Wait Timeout, or set On Timeout to "Return the Item".`,
	};
}

const STAGE_REQUEST: Record<ItemStage, string> = {
	check: 'read of the Image URL',
	upload: 'upload to the staging bucket',
	create: 'create request',
	download: 'result download',
};

export function itemTimeoutWords(error: ItemTimeoutError, taskId: string | undefined): Wording {
	const seconds = Math.round(error.waitMs / 1000);
	const last = error.lastFailure === undefined ? '' : `The last ${STAGE_REQUEST[error.stage]} had not succeeded (${error.lastFailure}). `;
	if (error.stage === 'download' && error.taskId !== undefined) {
		return { message: `Task ${error.taskId} completed, but its image was not downloaded within Wait Timeout (${seconds} s)`, hint: withTaskId(`${last}Raise Wait Timeout, or turn Download Image off.`, taskId ?? error.taskId, true) };
	}
	const outcome = error.createInFlight
		? 'A create request was still unanswered: a task may have been created. Check your Spark dashboard before running this item again.'
		: nothingBilled(error.taskId);
	const hint = `${last}${outcome} Wait Timeout bounds the whole item: raise it if the service is busy.`.replace(/\s+/g, ' ').trim();
	return { message: `Wait Timeout (${seconds} s) ran out before the Vtrix API accepted the task`, hint: withTaskId(hint, taskId ?? error.taskId) };
}

export function noImageWords(error: NoImageError): Wording {
	return {
		message: `Task ${error.taskId} completed but the response holds no image URL`,
		hint: withTaskId('The API response had no output[].content[] entry with a url.', error.taskId, true),
	};
}

/** The input image is the user's URL, not the Vtrix API: its failures say so, and that nothing was billed. */
function inputHttpWords(error: SparkHttpError): Wording {
	const host = hostOf(error.url);
	switch (error.statusCode) {
		case 401:
		case 403:
			return {
				message: `The Image URL answered ${error.statusCode}: ${host} refused access to the input image`,
				hint: `Vtrix fetches the image without credentials: use a public URL (or a signed URL that has not expired). ${NOT_BILLED}`,
			};
		case 404:
		case 410:
			return { message: `The Image URL answered ${error.statusCode}: ${host} has no such image`, hint: `Check the Image URL. ${NOT_BILLED}` };
		default:
			return {
				message: `The Image URL answered ${error.statusCode} (${host})`,
				hint: `${error.statusCode >= 500 ? `The image host had a problem; ${error.attempts} attempt(s) were made. ` : ''}${NOT_BILLED}`,
			};
	}
}

/** Result images sit on a CDN, often behind signed URLs that expire; the host is named as itself, not as the Vtrix API. */
function downloadHttpWords(error: SparkHttpError): Wording {
	switch (error.statusCode) {
		case 401:
		case 403:
			return { message: `The result URL refused access (${error.statusCode}); signed result URLs expire`, hint: '' };
		case 404:
		case 410:
			return { message: `The result image is no longer available (${error.statusCode})`, hint: 'Result URLs can expire.' };
		default:
			return {
				message: `The result image host (${hostOf(error.url)}) answered ${error.statusCode} to the download request`,
				hint: error.statusCode >= 500 || error.statusCode === 429 ? `${error.attempts} attempt(s) were made.` : '',
			};
	}
}

/** Words of a complaint about where the fields are, rather than about a value. */
const SHAPE_WORDS = /\b(input|params|image_input|unknown (field|parameter)|missing (field|parameter)|unmarshal|cannot (parse|decode))\b/i;

/** A create refused for the body's shape: the fields flat where the API wants them wrapped, or the other way round. */
function shapeWords(error: SparkHttpError): Wording | undefined {
	if (error.requestKind !== 'create' || error.formats === undefined || ![400, 422].includes(error.statusCode)) return undefined;
	const text = error.reply.text ?? '';
	if (error.reply.apiError?.code !== MISSING_IMAGE_CODE && !SHAPE_WORDS.test(text)) return undefined;
	return {
		message: `The Vtrix API refused the create request's body (${error.statusCode})${text ? `: ${text}` : ''}`,
		hint: `The body was sent in the "${error.formats.sent}" Request Format and the API did not find the fields where it looks for them. Set Request Format to "${error.formats.other}" in the Vtrix API credential and run again. No task was created.`,
	};
}

/** A create answered 404/405, or a status read 405: the path (or the host) is not Vtrix's. */
function wrongPathWords(error: SparkHttpError): Wording | undefined {
	const create = error.requestKind === 'create';
	if (!(create && [404, 405].includes(error.statusCode)) && !(error.requestKind === 'status' && error.statusCode === 405)) return undefined;
	const field = create ? 'Create Task Path' : 'Task Status Path';
	const vtrix = `${create ? 'POST' : 'GET'} ${error.vtrixUrl ?? ''}`;
	return {
		message: `The Vtrix API answered ${error.statusCode} to the ${error.requestKind} request: the ${field} or the Base URL is wrong`,
		hint: `The request went to ${error.url}. Vtrix's is ${vtrix}: set the Base URL and the ${field} in the Vtrix API credential to those (clearing the path restores it).${create ? ' No task was created.' : ''}`,
	};
}

export function httpWords(error: SparkHttpError): Wording {
	if (error.requestKind === 'input') return inputHttpWords(error);
	if (error.requestKind === 'download') return downloadHttpWords(error);
	const known = shapeWords(error) ?? wrongPathWords(error);
	if (known) return known;
	const apiError = error.reply.apiError;
	if (apiError && /^\d{9}$/.test(apiError.code)) return codeWords(apiError);
	const text = error.reply.text;
	const reason = text ? `: ${text}` : '';
	switch (error.statusCode) {
		case 401:
			return { message: `The Vtrix API rejected the API key (401 Unauthorized)${reason}`, hint: 'Check the API Key in the Vtrix API credential; keys are on vtrix.ai under Settings, API Keys.' };
		case 403:
			return {
				message: `The Vtrix API refused the request (403 Forbidden): insufficient balance or no permission${reason}`,
				hint: 'Vtrix answers 403 when the account\'s balance is too low or the key may not use this model: top up, or check the key, on vtrix.ai.',
			};
		case 404:
			return {
				message: `The Vtrix API answered 404 Not Found to the ${error.requestKind} request`,
				hint: `Check the Task ID, and the Base URL and Task Status Path in the Vtrix API credential (Vtrix's: ${error.vtrixUrl ?? ''}).`,
			};
		case 429:
			return { message: `The Vtrix API is rate limiting requests (429) and still was after ${error.attempts} attempts`, hint: 'Lower Max Parallel Tasks or try again later.' };
		default:
			return {
				message: `The Vtrix API answered ${error.statusCode} to the ${error.requestKind} request${reason}`,
				hint: error.statusCode >= 500 ? `The service had a problem; ${error.attempts} attempt(s) were made.` : 'Check the parameters and the credential.',
			};
	}
}

export function redirectWords(error: SparkRedirectError): Wording {
	const target = hostOf(error.target);
	const from = hostOf(error.url);
	switch (error.refusal) {
		case 'create':
			return {
				message: `The Vtrix API answered the create request with a redirect (${error.statusCode}) to ${target}; the node does not send a create anywhere else`,
				hint: `The create was sent to ${from} only, never re-sent, so no second task can be created (and billed) where you did not point the node. Check the Base URL in the Vtrix API credential (http vs https, a moved host). If ${from} created a task before redirecting, check your Vtrix account.`,
			};
		case 'crossOrigin':
			return {
				message: `The Vtrix API redirected the ${error.requestKind} request (${error.statusCode}) from ${from} to another host, ${target}; the node did not follow`,
				hint: `Your API key is only ever sent to the Base URL's own host (${from}). If the API really moved, set the Base URL in the Vtrix API credential to the new address.`,
			};
		case 'tooMany':
			return {
				message: `The Vtrix API redirected the ${error.requestKind} request too many times (last to ${error.target})`,
				hint: 'Check the Base URL and the request paths in the Vtrix API credential.',
			};
	}
}

export function apiRejectedWords(error: ApiRejectedError): Wording {
	const { message, hint } = codeWords(error.error);
	return { message, hint: `${hint} The answer carried no task ID.` };
}

export function tooLargeWords(error: SparkResponseTooLargeError): Wording {
	if (error.requestKind === 'download') {
		const what = error.imageCount > 1 ? `The ${error.imageCount} result images of the task are larger than Max Result Size (${megabytes(error.limitBytes)}) together` : `The result image is larger than Max Result Size (${megabytes(error.limitBytes)})`;
		return {
			message: `${what}; the download was stopped`,
			hint: 'Raise Max Result Size if the result really is that large, or turn Download Image off and fetch the imageUrl another way.',
		};
	}
	return {
		message: `The Vtrix API answered the ${error.requestKind} request with more than ${megabytes(error.limitBytes)} of JSON; the node did not read it`,
		hint: 'A task answer is a small JSON document: check the Base URL and paths in the Vtrix API credential.',
	};
}

/** A host the node would not fetch: what kind of address it was, nothing the host said. */
export function refusedWords(error: SparkRefusedError): Wording {
	const url = error.requestKind === 'input' ? 'the Image URL' : 'the result URL';
	const where = error.viaRedirect ? `a redirect from ${url} to ${error.host}` : `${url}'s host (${error.host})`;
	if (error.requestKind === 'input') {
		return {
			message: `Check Image First did not fetch ${where}: ${error.reason}`,
			hint: `Link-local and cloud metadata addresses are never fetched; loopback and private addresses only when the Image URL itself points to one. Use a public URL for the image. ${NOT_BILLED}`,
		};
	}
	return {
		message: `The node did not download ${where}: ${error.reason}`,
		hint: 'Result downloads follow the same rule as Check Image First: link-local and cloud metadata addresses are never fetched, loopback and private ones only when the Base URL in the Vtrix API credential is itself one. Check the Base URL, and the gateway in front of the API.',
	};
}

export function networkWords(error: SparkNetworkError): Wording {
	if (error.requestKind === 'input') {
		return { message: `Could not fetch the Image URL (${hostOf(error.url)})`, hint: `${error.reason}. ${error.attempts} attempt(s) were made. ${NOT_BILLED}` };
	}
	if (error.requestKind === 'download') {
		// The result host is not the Vtrix API, and it may well have answered (too slowly, or in part).
		const tries = error.attempts === 1 ? 'The one attempt' : `Each of ${error.attempts} attempts`;
		return {
			message: `The result image host (${hostOf(error.url)}) did not deliver the image`,
			hint: `${tries} ended with: ${error.reason}. If the host is slow, raise Request Timeout.`,
		};
	}
	const unknownOutcome = error.outcomeUnknown
		? ' The create request may have reached the API and created a task whose ID never arrived: check your Vtrix account before running this item again, so it is not paid for twice.'
		: '';
	return {
		message: `Could not reach the Vtrix API (${error.requestKind} request)`,
		hint: `${error.reason}. ${error.attempts} attempt(s) were made.${unknownOutcome}`,
	};
}

export function unexpectedResponseWords(error: UnexpectedResponseError, taskId: string | undefined): Wording {
	const unknownOutcome = taskId === undefined
		? ' If this was the answer to creating a task, a task may have been created: check your Vtrix account before running this item again.'
		: '';
	return { message: error.message, hint: `Check the Base URL and paths in the Vtrix API credential.${unknownOutcome}` };
}

/** Which request of the node needs which permission: the credential's Test button can prove neither. */
const PERMISSIONS: Record<StagingOperation, { verb: string; action: string; instead: string }> = {
	upload: { verb: 'write', action: 's3:PutObject', instead: '' },
	delete: { verb: 'delete', action: 's3:DeleteObject', instead: ', or turn Delete Staged Image off' },
};

/** What to do about a staging error; a refusal for want of permission names the one the request needed, under its Key Prefix. */
export function s3ErrorHint(statusCode: number, code: string | undefined, request?: { operation: StagingOperation; keyPrefix: string }): string {
	if (request && (code === 'AccessDenied' || (code === undefined && statusCode === 403))) {
		const { verb, action, instead } = PERMISSIONS[request.operation];
		const where = request.keyPrefix === '' ? 'in the bucket' : `under ${request.keyPrefix}`;
		return `The key may not ${verb} objects ${where} (${action}): allow it in the key's policy${instead}.`;
	}
	switch (code) {
		case 'SignatureDoesNotMatch':
			return 'The bucket service refused the signature: check the Secret Access Key and the Region in the S3 staging credential.';
		case 'InvalidAccessKeyId':
			return 'The bucket service does not know this Access Key ID: check it in the S3 staging credential.';
		case 'AccessDenied':
			return 'The key has no permission for this: it needs s3:PutObject, s3:GetObject and s3:DeleteObject on the key prefix (see the README).';
		case 'NoSuchBucket':
			return 'The bucket does not exist: check the Bucket name (and the Endpoint) in the S3 staging credential.';
		case 'AuthorizationHeaderMalformed':
		case 'PermanentRedirect':
		case 'IllegalLocationConstraintException':
			return 'The bucket lives in another region or needs another endpoint: check Region and Endpoint in the S3 staging credential.';
		default:
			if (statusCode === 301 || statusCode === 307) return 'The bucket service redirected the request: check Region, Endpoint and Path-Style Addressing in the S3 staging credential.';
			if (statusCode === 403) return 'The bucket service refused the request: check the keys and their permissions (s3:PutObject, s3:GetObject, s3:DeleteObject).';
			if (statusCode === 404) return 'Not found: check the Bucket name, the Endpoint and Path-Style Addressing in the S3 staging credential.';
			return statusCode >= 500 ? 'The bucket service had a problem; try again later.' : 'Check the S3 staging credential.';
	}
}

function stagingWords(error: StagingHttpError | StagingNetworkError): Wording {
	if (error instanceof StagingHttpError) {
		const { operation, statusCode, code, serverMessage } = error;
		return {
			message: `The staging bucket refused the ${operation} (${statusCode}${code ? ` ${code}` : ''})${serverMessage ? `: ${serverMessage}` : ''}`,
			hint: s3ErrorHint(statusCode, code, error),
		};
	}
	return {
		message: `Could not reach the staging bucket (${error.operation})`,
		hint: `${error.reason}. ${error.attempts} attempt(s) were made. Check the Endpoint in the S3 staging credential.`,
	};
}

/** A staging failure that ended an item: before a task existed, nothing was billed. */
export function stagingItemWords(error: StagingHttpError | StagingNetworkError, taskId: string | undefined): Wording {
	const { message, hint } = stagingWords(error);
	return { message, hint: `${hint} ${nothingBilled(taskId)}`.trim() };
}

/** A staging failure as one sentence, where it is shown as text (a delete left undone). */
export function stagingFailureText(error: unknown): string {
	if (error instanceof StagingHttpError || error instanceof StagingNetworkError) {
		const { message, hint } = stagingWords(error);
		return `${message}. ${hint}`;
	}
	return error instanceof Error ? error.message : String(error);
}

export function cancelledWords(): Wording {
	return { message: 'The execution was cancelled', hint: 'Polling stopped.' };
}

export function otherTasksNote(taskIds: readonly string[]): string {
	return `Tasks created for other items before the run stopped (read them with Get Task Status, or let Retry On Fail pick them up): ${taskIds.join('; ')}.`;
}

/** A try's failed status, as a later message repeats it: with the wait the server asked for, when it asked. */
export function statusFailureWords(statusCode: number, retryAfterMs: number | undefined): string {
	return retryAfterMs !== undefined && retryAfterMs >= 1000 ? `HTTP ${statusCode}; the server asked to wait ${durationWords(retryAfterMs)} before the next request` : `HTTP ${statusCode}`;
}

/** A duration as a person says it: the largest unit that fits ("3 years", "40 s"). */
function durationWords(ms: number): string {
	const units: Array<[string, number]> = [['year', 365 * 86_400_000], ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
	for (const [unit, size] of units) {
		const count = Math.floor(ms / size);
		if (count >= 1) return `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;
	}
	return `${Math.round(ms / 1000)} s`;
}

export function pausedWords(error: SparkPausedError, taskId: string | undefined): Wording {
	const create = error.requestKind === 'create';
	const last = error.lastFailure === undefined ? '' : ` The last ${error.requestKind} request had not succeeded (${error.lastFailure}).`;
	return {
		message: `The Vtrix API asked this n8n process to pause its requests for ${durationWords(error.askedMs)}; the ${error.requestKind} request waits at most ${durationWords(error.limitMs)}`,
		hint: `A pause this long comes from the API's rate-limit headers (Retry-After, X-RateLimit-Reset).${last} Try again later, or ask the API's operator.${create ? ` ${nothingBilled(taskId)}` : ''}`.trim(),
	};
}

export function resultNotImageWords(error: SparkResultNotImageError): Wording {
	const sent = error.mimeType === '' ? '' : ` (it was sent as ${error.mimeType})`;
	return {
		message: `Task ${error.taskId} completed, but its result is not an image${sent}; it was not saved`,
		hint: `The result URL is ${error.url}. Check the Base URL in the Vtrix API credential, and the gateway in front of the API.`,
	};
}
