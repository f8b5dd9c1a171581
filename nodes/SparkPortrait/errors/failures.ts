/**
 * Failures of the transport, as plain errors carrying what the node needs to explain them.
 * The node turns them into NodeApiError / NodeOperationError in one place (helpers/errors.ts).
 */
import type { RequestFormat } from '../api/requestFormat';
import type { RedirectRefusal } from '../transport/redirects';
import type { RequestKind } from '../transport/retry';

export class SparkHttpError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly statusCode: number,
		readonly body: unknown,
		readonly attempts: number,
		/** The URL the request went to: an input image's host is named in its errors. */
		readonly url = '',
		/** For a create: the body shape it was sent in, so a 400 about the shape can name the other one. */
		readonly requestFormat?: RequestFormat,
	) {
		super(`The Vtrix API answered ${statusCode} to the ${requestKind} request`);
		this.name = 'SparkHttpError';
	}
}

export class SparkNetworkError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly reason: string,
		readonly attempts: number,
		/** For a create request: the server may have created a task we never heard of. */
		readonly outcomeUnknown: boolean,
		readonly url = '',
	) {
		super(`The ${requestKind} request failed: ${reason}`);
		this.name = 'SparkNetworkError';
	}
}

/** A redirect of a request that carries the API key, which the client refused to follow. */
export class SparkRedirectError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly statusCode: number,
		readonly url: string,
		readonly target: string,
		readonly refusal: RedirectRefusal,
	) {
		super(`The ${requestKind} request was redirected (${statusCode}) to ${target}`);
		this.name = 'SparkRedirectError';
	}
}

/** A network failure in a few words, with its code (ECONNRESET, ETIMEDOUT...) when it has one. */
export function errorReason(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as Error & { code?: unknown; cause?: { code?: unknown } }).code
			?? (error as { cause?: { code?: unknown } }).cause?.code;
		return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
	}
	return String(error);
}

/** An answer larger than the node reads: a result over Max Result Size, or an API JSON body over its cap. */
export class SparkResponseTooLargeError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly limitBytes: number,
		readonly url = '',
	) {
		super(`The answer to the ${requestKind} request is larger than ${limitBytes} bytes`);
		this.name = 'SparkResponseTooLargeError';
	}
}

/** Check Image First refused to fetch a host (the Image URL's, or a redirect's), before connecting. */
export class SparkInputRefusedError extends Error {
	constructor(
		/** The refused URL's host. */
		readonly host: string,
		/** Why, in a few words ("a link-local address", or n8n's own SSRF rule). */
		readonly reason: string,
		readonly viaRedirect: boolean,
	) {
		super(`Check Image First refused to fetch ${host}: ${reason}`);
		this.name = 'SparkInputRefusedError';
	}
}
