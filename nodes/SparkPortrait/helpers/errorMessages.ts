/**
 * What each transport failure says to the user: a message naming what failed (the API, the Image
 * URL, a result URL, a redirect, the staging bucket) and a hint saying what to do about it.
 */
import { describeErrorCode } from '../api/errorCodes';
import { findApiError } from '../api/parse';
import { s3ErrorHint } from '../api/s3Error';
import type { SparkHttpError, SparkRedirectError } from '../transport/errors';
import { StagingHttpError, StagingNetworkError } from '../transport/stagingClient';

export interface ErrorWording {
	message: string;
	hint: string;
}

export function codeMessage(code: string, serverMessage: string): ErrorWording {
	const known = describeErrorCode(code);
	const detail = serverMessage && serverMessage !== known?.title ? ` (${serverMessage})` : '';
	return {
		message: `Spark API error ${code}: ${known?.title ?? 'Unknown error'}${detail}`,
		hint: known?.hint ?? 'The API document does not list this code.',
	};
}

export function hostOf(url: string): string {
	return URL.canParse(url) ? new URL(url).host : url;
}

/** The input image is the user's URL, not the Spark API: its failures say so, and that nothing was billed. */
function inputMessage(error: SparkHttpError): ErrorWording {
	const host = hostOf(error.url);
	const notBilled = 'Nothing was sent to the Spark API, so nothing was billed.';
	switch (error.statusCode) {
		case 401:
		case 403:
			return {
				message: `The Image URL answered ${error.statusCode}: ${host} refused access to the input image`,
				hint: `The Spark service fetches the image without credentials: use a public URL (or a signed URL that has not expired). ${notBilled}`,
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

export function httpMessage(error: SparkHttpError): ErrorWording {
	if (error.requestKind === 'input') return inputMessage(error);
	if (error.requestKind === 'download') {
		const message = downloadMessage(error);
		if (message) return message;
	}
	const apiError = error.requestKind === 'download' ? undefined : findApiError(error.body);
	if (apiError && /^\d{9}$/.test(apiError.code)) return codeMessage(apiError.code, apiError.message);
	switch (error.statusCode) {
		case 401:
			return { message: 'The Spark API rejected the API key (401 Unauthorized)', hint: 'Check the API Key in the Spark API credential.' };
		case 403:
			return { message: 'The API key has no access to this Spark API (403 Forbidden)', hint: 'Check that your key is enabled for the Edit Portrait model.' };
		case 404:
			return { message: `The Spark API answered 404 Not Found to the ${error.requestKind} request`, hint: 'Check the Base URL and the request paths in the Spark API credential, and the Task ID.' };
		case 429:
			return { message: `The Spark API is rate limiting requests (429) and still was after ${error.attempts} attempts`, hint: 'Lower Max Parallel Tasks or try again later.' };
		default: {
			const text = apiError?.message ? `: ${apiError.message}` : '';
			const who = error.requestKind === 'download' ? `The result image host (${hostOf(error.url)})` : 'The Spark API';
			return {
				message: `${who} answered ${error.statusCode} to the ${error.requestKind} request${text}`,
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
				message: `The Spark API answered the create request with a redirect (${error.statusCode}) to ${target}; the node does not send a create anywhere else`,
				hint: `The create was sent to ${from} only, never re-sent, so no second task can be created (and billed) where you did not point the node. Check the Base URL in the Spark API credential (http vs https, a moved host). If ${from} created a task before redirecting, check your Spark dashboard.`,
			};
		case 'crossOrigin':
			return {
				message: `The Spark API redirected the ${error.requestKind} request (${error.statusCode}) from ${from} to another host, ${target}; the node did not follow`,
				hint: `Your API key is only ever sent to the Base URL's own host (${from}). If the API really moved, set the Base URL in the Spark API credential to the new address.`,
			};
		case 'tooMany':
			return {
				message: `The Spark API redirected the ${error.requestKind} request too many times (last to ${error.target})`,
				hint: 'Check the Base URL and the request paths in the Spark API credential.',
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
