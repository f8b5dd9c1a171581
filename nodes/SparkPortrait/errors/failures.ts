/**
 * Every way an item can fail, as plain errors carrying the facts a message needs. The words a user
 * reads are in messages.ts, and translate.ts turns a failure into the n8n error; this module
 * imports nothing of the node outside errors/, so every concern (the transport, the API's parser, staging, the
 * poller) throws from here without an import running back up.
 */
import { NO_ERROR_CODE } from './errorCodes';

/** The requests the node makes: to the API (create, status), to result hosts, to the Image URL, to the bucket. */
export type RequestKind = 'create' | 'status' | 'download' | 'input' | 'stage';

/** An error as the API reports it: its code (the document's table) and its text. */
export interface ApiError {
	code: string;
	message: string;
}

/** What the words need of an error answer's body, read by the API's parser (nothing else of the body is kept). */
export interface ErrorReply {
	apiError?: ApiError;
	/** The reason the answer gives, coded or not. */
	text?: string;
}

/** The facts of a task that a failure names. */
export interface TaskFacts {
	taskId: string;
	status: string;
	error?: ApiError;
}

/** The user stopped the execution. */
export class CancelledError extends Error {
	/**
	 * `lastFailure`: why the request that was given up had not succeeded yet, if it had failed.
	 * `requestUnanswered`: a request was on its way when it was given up (a create may have created a task).
	 */
	constructor(
		readonly lastFailure?: string,
		readonly requestUnanswered = false,
	) {
		super('The execution was cancelled');
		this.name = 'CancelledError';
	}
}

/** A field's value was refused before anything was sent; the message names the field and what it allows. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** An answer of the API that the node cannot read as a task. */
export class UnexpectedResponseError extends Error {
	constructor(
		message: string,
		readonly body: unknown,
	) {
		super(message);
		this.name = 'UnexpectedResponseError';
	}
}

/** The API answered with an error code and no task id: nothing to poll, but the code says what went wrong. */
export class ApiRejectedError extends Error {
	constructor(readonly error: ApiError) {
		super(`The Vtrix API refused the request: ${error.code === NO_ERROR_CODE ? error.message : `error ${error.code}`}`);
		this.name = 'ApiRejectedError';
	}
}

export interface HttpFailure {
	requestKind: RequestKind;
	statusCode: number;
	reply: ErrorReply;
	attempts: number;
	/** The URL the request went to: an input image's or a result's host is named in its errors. */
	url: string;
	/** For a create: the Request Format it was sent in and the other one, as the credential names them. */
	formats?: { sent: string; other: string };
	/** For an API request: where Vtrix's own API takes this request, for a message about a wrong path. */
	vtrixUrl?: string;
}

/** A request answered with an error status, after its retries. */
export class SparkHttpError extends Error implements HttpFailure {
	readonly requestKind: RequestKind;
	readonly statusCode: number;
	readonly reply: ErrorReply;
	readonly attempts: number;
	readonly url: string;
	readonly formats?: { sent: string; other: string };
	readonly vtrixUrl?: string;

	constructor(failure: HttpFailure) {
		super(`HTTP ${failure.statusCode} to the ${failure.requestKind} request`);
		this.name = 'SparkHttpError';
		({ requestKind: this.requestKind, statusCode: this.statusCode, reply: this.reply, attempts: this.attempts, url: this.url } = failure);
		this.formats = failure.formats;
		this.vtrixUrl = failure.vtrixUrl;
	}
}

/** A request that got no answer, after its retries. */
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

/** Why a redirect of a request that carries the key was not followed. */
export type RedirectRefusal = 'create' | 'crossOrigin' | 'tooMany';

/** A redirect of a request that carries the API key, which the client refused to follow. */
export class SparkRedirectError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly statusCode: number,
		readonly url: string,
		readonly target: string,
		readonly refusal: RedirectRefusal,
	) {
		super(`The ${requestKind} request was redirected (${statusCode})`);
		this.name = 'SparkRedirectError';
	}
}

/** An answer larger than the node reads: a result over Max Result Size, or an API JSON body over its cap. */
export class SparkResponseTooLargeError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		readonly limitBytes: number,
		readonly url = '',
		/** A download: how many result images the cap was for (Max Result Size holds for all of a task's images together). */
		readonly imageCount = 1,
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

/** The task ended as failed. */
export class TaskFailedError extends Error {
	constructor(
		readonly task: TaskFacts,
		readonly attempts: number,
	) {
		super(`Task ${task.taskId} failed`);
		this.name = 'TaskFailedError';
	}
}

/** Wait Timeout ran out while the task was still running. */
export class TaskTimeoutError extends Error {
	constructor(
		readonly taskId: string,
		readonly lastStatus: string,
		readonly waitedMs: number,
		/** Why the status read given up at the deadline had not succeeded, if it had failed. */
		readonly lastReadFailure?: string,
	) {
		super(`Task ${taskId} did not finish in time`);
		this.name = 'TaskTimeoutError';
	}
}

/** Where an item was when Wait Timeout ended it: before its task was accepted, or downloading the result. */
export type ItemStage = 'check' | 'upload' | 'create' | 'download';

/** Wait Timeout ended an item outside polling (a timeout while polling is a TaskTimeoutError). */
export class ItemTimeoutError extends Error {
	constructor(
		readonly waitMs: number,
		readonly stage: ItemStage,
		readonly taskId?: string,
		/** Why the request given up at the deadline had not succeeded, if it had failed. */
		readonly lastFailure?: string,
		/** A create request was still unanswered: a task may exist. */
		readonly createInFlight = false,
	) {
		super(`Wait Timeout ended the item (${stage})`);
		this.name = 'ItemTimeoutError';
	}
}

/** The task completed without a result URL. */
export class NoImageError extends Error {
	constructor(readonly taskId: string) {
		super(`Task ${taskId} completed without an image`);
		this.name = 'NoImageError';
	}
}

export type StagingOperation = 'upload' | 'delete';

/** The staging bucket answered an error; its own code and message only, never the request. */
export class StagingHttpError extends Error {
	constructor(
		readonly operation: StagingOperation,
		readonly statusCode: number,
		readonly code: string | undefined,
		readonly serverMessage: string | undefined,
		readonly attempts: number,
		/** The Key Prefix the request was for: a missing permission is named with it. */
		readonly keyPrefix = '',
	) {
		super(`The staging bucket answered ${statusCode} to the ${operation}`);
		this.name = 'StagingHttpError';
	}
}

/** The staging bucket could not be reached. */
export class StagingNetworkError extends Error {
	constructor(
		readonly operation: StagingOperation,
		readonly reason: string,
		readonly attempts: number,
	) {
		super(`The ${operation} to the staging bucket failed: ${reason}`);
		this.name = 'StagingNetworkError';
	}
}

/** A request that cannot be signed for the staging bucket; said plainly, it never reaches the network. */
export class BucketRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BucketRequestError';
	}
}

/** A network failure in a few words, with its code (ECONNRESET, ETIMEDOUT...) when it has one. */
export function errorReason(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = codeOf(error) ?? codeOf(error.cause);
	return code === undefined ? error.message : `${code}: ${error.message}`;
}

function codeOf(value: unknown): string | undefined {
	const code = typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined;
	return typeof code === 'string' ? code : undefined;
}

/** The API asked this process to pause its requests for longer than a request waits (MAX_SERVER_PAUSE_MS). */
export class SparkPausedError extends Error {
	constructor(
		readonly requestKind: RequestKind,
		/** What the server asked for, before the node's cap. */
		readonly askedMs: number,
		/** How long a request waits for the API's pauses at most. */
		readonly limitMs: number,
		readonly lastFailure?: string,
	) {
		super(`The Vtrix API asked for a pause of ${askedMs} ms before the ${requestKind} request`);
		this.name = 'SparkPausedError';
	}
}
