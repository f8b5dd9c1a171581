/**
 * Every way an item can fail, as plain errors carrying the facts a message needs. It imports nothing of the
 * node outside errors/, so every concern (the transport, the API's parser, staging, the poller) throws from here.
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

export interface TaskFacts {
	taskId: string;
	status: string;
	error?: ApiError;
}

/** The failures' common root: each is named after its class, as a stack trace and n8n's log show it. */
class Failure extends Error {
	constructor(message: string) {
		super(message);
		this.name = new.target.name;
	}
}

export class CancelledError extends Failure {
	constructor(
		/** Why the request that was given up had not succeeded yet, if it had failed. */
		readonly lastFailure?: string,
		/** A request was on its way when it was given up (a create may have created a task). */
		readonly requestUnanswered = false,
	) {
		super('The execution was cancelled');
	}
}

/** A field's value was refused before anything was sent; the message names the field, then what it allows. */
export class InputError extends Failure {
	constructor(
		readonly field: string,
		problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

/** An answer of the API that the node cannot read as a task. */
export class UnexpectedResponseError extends Failure {}

/** The API answered with an error code and no task id: nothing to poll, but the code says what went wrong. */
export class ApiRejectedError extends Failure {
	constructor(readonly error: ApiError) {
		super(`The Vtrix API refused the request: ${error.code === NO_ERROR_CODE ? error.message : `error ${error.code}`}`);
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

/** A request answered with an error status, after its retries: its fields are the HttpFailure it was made from. */
export interface SparkHttpError extends Readonly<HttpFailure> {}
export class SparkHttpError extends Failure {
	constructor(failure: HttpFailure) {
		super(`HTTP ${failure.statusCode} to the ${failure.requestKind} request`);
		Object.assign(this, failure);
	}
}

/** A request that got no answer, after its retries. */
export class SparkNetworkError extends Failure {
	constructor(
		readonly requestKind: RequestKind,
		readonly reason: string,
		readonly attempts: number,
		/** For a create request: the server may have created a task we never heard of. */
		readonly outcomeUnknown: boolean,
		readonly url = '',
	) {
		super(`The ${requestKind} request failed: ${reason}`);
	}
}

export type RedirectRefusal = 'create' | 'crossOrigin' | 'tooMany';

/** A redirect of a request that carries the API key, which the client refused to follow. */
export class SparkRedirectError extends Failure {
	constructor(
		readonly requestKind: RequestKind,
		readonly statusCode: number,
		readonly url: string,
		readonly target: string,
		readonly refusal: RedirectRefusal,
	) {
		super(`The ${requestKind} request was redirected (${statusCode})`);
	}
}

/** An answer larger than the node reads: a result over Max Result Size, or an API JSON body over its cap. */
export class SparkResponseTooLargeError extends Failure {
	constructor(
		readonly requestKind: RequestKind,
		readonly limitBytes: number,
		/** A download: how many result images the cap was for (Max Result Size holds for all of a task's images together). */
		readonly imageCount = 1,
	) {
		super(`The answer to the ${requestKind} request is larger than ${limitBytes} bytes`);
	}
}

/** A host the node would not fetch, before connecting: the Image URL's (Check Image First), a result URL's, or a redirect's from either. */
export class SparkRefusedError extends Failure {
	constructor(
		readonly requestKind: 'input' | 'download',
		readonly host: string,
		/** Why, in a few words ("a link-local address", or n8n's own SSRF rule). */
		readonly reason: string,
		readonly viaRedirect: boolean,
	) {
		super(`${requestKind === 'input' ? 'Check Image First' : 'The result download'} refused to fetch ${host}: ${reason}`);
	}
}

export class TaskFailedError extends Failure {
	constructor(
		readonly task: TaskFacts,
		readonly attempts: number,
	) {
		super(`Task ${task.taskId} failed`);
	}
}

/** Wait Timeout ran out while the task was still running. */
export class TaskTimeoutError extends Failure {
	constructor(
		readonly taskId: string,
		readonly lastStatus: string,
		readonly waitedMs: number,
		/** Why the status read given up at the deadline had not succeeded, if it had failed. */
		readonly lastReadFailure?: string,
	) {
		super(`Task ${taskId} did not finish in time`);
	}
}

/** Where an item was when Wait Timeout ended it: before its task was accepted, or downloading the result. */
export type ItemStage = 'check' | 'upload' | 'create' | 'download';

/** Wait Timeout ended an item outside polling (a timeout while polling is a TaskTimeoutError). */
export class ItemTimeoutError extends Failure {
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
	}
}

/** The task completed without a result URL. */
export class NoImageError extends Failure {
	constructor(readonly taskId: string) {
		super(`Task ${taskId} completed without an image`);
	}
}

export type StagingOperation = 'upload' | 'delete';

/** The staging bucket answered an error; its own code and message only, never the request. */
export class StagingHttpError extends Failure {
	constructor(
		readonly operation: StagingOperation,
		readonly statusCode: number,
		readonly code: string | undefined,
		readonly serverMessage: string | undefined,
		/** The Key Prefix the request was for: a missing permission is named with it. */
		readonly keyPrefix = '',
	) {
		super(`The staging bucket answered ${statusCode} to the ${operation}`);
	}
}

export class StagingNetworkError extends Failure {
	constructor(
		readonly operation: StagingOperation,
		readonly reason: string,
		readonly attempts: number,
	) {
		super(`The ${operation} to the staging bucket failed: ${reason}`);
	}
}

/** A request that cannot be signed for the staging bucket; said plainly, it never reaches the network. */
export class BucketRequestError extends Failure {}

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
export class SparkPausedError extends Failure {
	constructor(
		readonly requestKind: RequestKind,
		/** What the server asked for, before the node's cap. */
		readonly askedMs: number,
		readonly limitMs: number,
		readonly lastFailure?: string,
	) {
		super(`The Vtrix API asked for a pause of ${askedMs} ms before the ${requestKind} request`);
	}
}

/** A downloaded result whose first bytes are no image format the node knows. */
export class SparkResultNotImageError extends Failure {
	constructor(
		readonly taskId: string,
		readonly url: string,
		/** The Content-Type the host sent, if any: the only thing said about what came instead. */
		readonly mimeType: string,
	) {
		super(`The result of task ${taskId} is not an image`);
	}
}
