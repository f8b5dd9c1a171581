/**
 * What each transport failure says to the user: a message naming what failed (the API, the Image
 * URL, a result URL, a redirect, the staging bucket) and a hint saying what to do about it.
 */
import { describeErrorCode, MISSING_IMAGE_CODE, NO_ERROR_CODE } from '../api/errorCodes';
import { errorText, findApiError } from '../api/parse';
import { DEFAULT_BASE_URL, DEFAULT_CREATE_TASK_PATH, DEFAULT_TASK_STATUS_PATH } from '../api/paths';
import { otherRequestFormat, REQUEST_FORMAT_NAMES } from '../api/requestFormat';
import { s3ErrorHint } from '../staging/s3Error';
import type { SparkHttpError, SparkInputRefusedError, SparkRedirectError, SparkResponseTooLargeError } from './failures';
import { StagingHttpError, StagingNetworkError } from '../staging/bucketClient';

export interface ErrorWording {
	message: string;
	hint: string;
}

export function codeMessage(code: string, serverMessage: string): ErrorWording {
	if (code === NO_ERROR_CODE) {
		return { message: `Vtrix API error: ${serverMessage || 'no reason given'}`, hint: 'The API gave no error code.' };
	}
	const known = describeErrorCode(code);
	const detail = serverMessage && serverMessage !== known?.title ? ` (${serverMessage})` : '';
	return {
		message: `Vtrix API error ${code}: ${known?.title ?? 'Unknown error'}${detail}`,
		hint: known?.hint ?? 'The API document does not list this code.',
	};
}

/** A URL's host (and port), for a message; a URL that does not parse is cut short. */
export function hostOf(url: string): string {
	return URL.canParse(url) ? new URL(url).host : url.slice(0, 100);
}

/** The input image is the user's URL, not the Vtrix API: its failures say so, and that nothing was billed. */
function inputMessage(error: SparkHttpError): ErrorWording {
	const host = hostOf(error.url);
	const notBilled = 'Nothing was sent to the Vtrix API, so nothing was billed.';
	switch (error.statusCode) {
		case 401:
		case 403:
			return {
				message: `The Image URL answered ${error.statusCode}: ${host} refused access to the input image`,
				hint: `Vtrix fetches the image without credentials: use a public URL (or a signed URL that has not expired). ${notBilled}`,
			};
		case 404:
		case 410:
			return { message: `The Image URL answered ${error.statusCode}: ${host} has no such image`, hint: `Check the Image URL. ${notBilled}` };
		default:
			return {
				message: `The Image URL answered ${error.statusCode} (${host})`,
				hint: `${error.statusCode >= 500 ? `The image host had a problem; ${error.attempts} attempt(s) were made. ` : ''}${notBilled}`,
			};
	}
}

/** Result images sit on a CDN, often behind signed URLs that expire. */
function downloadMessage(error: SparkHttpError): ErrorWording | undefined {
	const fresh = 'Read the task again with Get Task Status for a fresh result URL.';
	switch (error.statusCode) {
		case 401:
		case 403:
			return { message: `The result URL refused access (${error.statusCode}); signed result URLs expire`, hint: fresh };
		case 404:
		case 410:
			return { message: `The result image is no longer available (${error.statusCode})`, hint: `Result URLs can expire. ${fresh}` };
		default:
			return undefined;
	}
}

/** Words of a complaint about where the fields are, rather than about a value. */
const SHAPE_WORDS = /\b(input|params|image_input|unknown (field|parameter)|missing (field|parameter)|unmarshal|cannot (parse|decode))\b/i;

/** A create refused for the body's shape: the fields flat where the API wants them wrapped, or the other way round. */
function shapeMessage(error: SparkHttpError): ErrorWording | undefined {
	if (error.requestKind !== 'create' || error.requestFormat === undefined || ![400, 422].includes(error.statusCode)) return undefined;
	const text = errorText(error.body) ?? '';
	if (findApiError(error.body)?.code !== MISSING_IMAGE_CODE && !SHAPE_WORDS.test(text)) return undefined;
	const sent = REQUEST_FORMAT_NAMES[error.requestFormat];
	const other = REQUEST_FORMAT_NAMES[otherRequestFormat(error.requestFormat)];
	return {
		message: `The Vtrix API refused the create request's body (${error.statusCode})${text ? `: ${text}` : ''}`,
		hint: `The body was sent in the "${sent}" Request Format and the API did not find the fields where it looks for them. Set Request Format to "${other}" in the Vtrix API credential and run again. No task was created.`,
	};
}

/** A create answered 404/405, or a status read 405: the path (or the host) is not Vtrix's. */
function wrongPathMessage(error: SparkHttpError): ErrorWording | undefined {
	const create = error.requestKind === 'create';
	if (!(create && [404, 405].includes(error.statusCode)) && !(error.requestKind === 'status' && error.statusCode === 405)) return undefined;
	const field = create ? 'Create Task Path' : 'Task Status Path';
	const vtrix = create ? `POST ${DEFAULT_BASE_URL}${DEFAULT_CREATE_TASK_PATH}` : `GET ${DEFAULT_BASE_URL}${DEFAULT_TASK_STATUS_PATH}`;
	return {
		message: `The Vtrix API answered ${error.statusCode} to the ${error.requestKind} request: the ${field} or the Base URL is wrong`,
		hint: `The request went to ${error.url}. Vtrix's is ${vtrix}: set the Base URL and the ${field} in the Vtrix API credential to those (clearing the path restores it).${create ? ' No task was created.' : ''}`,
	};
}

export function httpMessage(error: SparkHttpError): ErrorWording {
	if (error.requestKind === 'input') return inputMessage(error);
	if (error.requestKind === 'download') {
		const message = downloadMessage(error);
		if (message) return message;
	}
	const known = shapeMessage(error) ?? wrongPathMessage(error);
	if (known) return known;
	const apiError = error.requestKind === 'download' ? undefined : findApiError(error.body);
	if (apiError && /^\d{9}$/.test(apiError.code)) return codeMessage(apiError.code, apiError.message);
	const text = error.requestKind === 'download' ? undefined : errorText(error.body);
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
				hint: `Check the Task ID, and the Base URL and Task Status Path in the Vtrix API credential (Vtrix's: ${DEFAULT_BASE_URL}${DEFAULT_TASK_STATUS_PATH}).`,
			};
		case 429:
			return { message: `The Vtrix API is rate limiting requests (429) and still was after ${error.attempts} attempts`, hint: 'Lower Max Parallel Tasks or try again later.' };
		default: {
			const who = error.requestKind === 'download' ? `The result image host (${hostOf(error.url)})` : 'The Vtrix API';
			return {
				message: `${who} answered ${error.statusCode} to the ${error.requestKind} request${reason}`,
				hint: error.statusCode >= 500 ? `The service had a problem; ${error.attempts} attempt(s) were made.` : 'Check the parameters and the credential.',
			};
		}
	}
}

export function redirectMessage(error: SparkRedirectError): ErrorWording {
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

/** The staging bucket refused a request or could not be reached; its own code and message only, never the request. */
export function stagingMessage(error: StagingHttpError | StagingNetworkError): ErrorWording {
	if (error instanceof StagingHttpError) return { message: error.message, hint: s3ErrorHint(error.statusCode, error.code, error) };
	return {
		message: error.message,
		hint: `${error.reason}. ${error.attempts} attempt(s) were made. Check the Endpoint in the S3 staging credential.`,
	};
}

/** A staging failure as one sentence, where it is shown as text (the credential test, a delete left undone). */
export function stagingFailureText(error: unknown): string {
	if (error instanceof StagingHttpError || error instanceof StagingNetworkError) {
		const { message, hint } = stagingMessage(error);
		return `${message}. ${hint}`;
	}
	return error instanceof Error ? error.message : String(error);
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** An answer larger than the node reads. */
export function tooLargeMessage(error: SparkResponseTooLargeError): ErrorWording {
	if (error.requestKind === 'download') {
		return {
			message: `The result image is larger than Max Result Size (${megabytes(error.limitBytes)}); the download was stopped`,
			hint: 'Raise Max Result Size if the result really is that large, or turn Download Image off and fetch the imageUrl another way.',
		};
	}
	return {
		message: `The Vtrix API answered the ${error.requestKind} request with more than ${megabytes(error.limitBytes)} of JSON; the node did not read it`,
		hint: 'A task answer is a small JSON document: check the Base URL and paths in the Vtrix API credential.',
	};
}

/** Check Image First would not fetch a host: what kind of address it was, nothing the host said. */
export function inputRefusedMessage(error: SparkInputRefusedError): ErrorWording {
	const where = error.viaRedirect ? `a redirect from the Image URL to ${error.host}` : `the Image URL's host (${error.host})`;
	return {
		message: `Check Image First did not fetch ${where}: ${error.reason}`,
		hint: 'Link-local and cloud metadata addresses are never fetched; loopback and private addresses only when the Image URL itself points to one. Use a public URL for the image. Nothing was sent to the Vtrix API, so nothing was billed.',
	};
}
