/**
 * Every failure of an item becomes the n8n error the user sees through one table: for each failure, its words
 * (messages.ts) and the kind of n8n error. Whatever the failure, a task id already received is named and kept
 * in the error's context, so a task that was paid for is never lost.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';

import {
	ApiRejectedError,
	CancelledError,
	InputError,
	ItemTimeoutError,
	NoImageError,
	SparkHttpError,
	SparkNetworkError,
	SparkPausedError,
	SparkResultNotImageError,
	SparkRefusedError,
	SparkRedirectError,
	SparkResponseTooLargeError,
	StagingHttpError,
	StagingNetworkError,
	TaskFailedError,
	TaskTimeoutError,
	UnexpectedResponseError,
	type ApiError,
} from './failures';
import * as words from './messages';

export type SparkNodeError = NodeApiError | NodeOperationError;

export interface ErrorContext {
	itemIndex: number;
	taskId?: string;
	/** Facts to add to the description, whatever the failure. */
	notes?: readonly string[];
}

interface Translation<F extends Error> {
	failure: abstract new (...args: never[]) => F;
	words: (error: F, taskId: string | undefined) => words.Wording;
	/** `api`: what a server answered, or failed to (NodeApiError); `node`: the node's own refusal or stop (NodeOperationError). */
	from: 'api' | 'node' | ((error: F) => 'api' | 'node');
	/** The description ends with the item's task id and how to pick the task up. */
	namesTask?: boolean;
	/** A download's failure comes after the task completed (results are fetched only then): the task id is named as a completed task's. */
	afterCompletion?: boolean;
	/** What of the server's answer is saved with the execution: the code and message the node understood. */
	response?: (error: F) => JsonObject;
}

/** One row of the table: the n8n error for a failure of its class, or undefined for any other. */
type Translate = (node: INode, error: unknown, context: ErrorContext) => SparkNodeError | undefined;

function entry<F extends Error>(translation: Translation<F>): Translate {
	return (node, error, context) => {
		if (!(error instanceof translation.failure)) return undefined;
		const { message, hint } = translation.words(error, context.taskId);
		const from = typeof translation.from === 'function' ? translation.from(error) : translation.from;
		const completed = translation.afterCompletion === true && 'requestKind' in error && error.requestKind === 'download';
		const description = (translation.namesTask ? words.withTaskId(hint, context.taskId, completed) : hint) || undefined;
		const httpCode = 'statusCode' in error ? { httpCode: String(error.statusCode) } : {};
		const options = { itemIndex: context.itemIndex, message, description, ...httpCode };
		return from === 'api' ? new NodeApiError(node, translation.response?.(error) ?? {}, options) : new NodeOperationError(node, message, options);
	};
}

function understood(error: ApiError | undefined): JsonObject {
	return error ? { code: error.code, message: error.message } : {};
}

const TABLE: readonly Translate[] = [
	entry({ failure: InputError, words: words.inputWords, from: 'node' }),
	entry({
		failure: TaskFailedError,
		words: words.taskFailedWords,
		from: 'api',
		response: ({ task }) => ({ task: { taskId: task.taskId, status: task.status, error: understood(task.error) } }),
	}),
	entry({ failure: TaskTimeoutError, words: words.taskTimeoutWords, from: 'node' }),
	entry({ failure: ItemTimeoutError, words: words.itemTimeoutWords, from: 'node' }),
	entry({ failure: NoImageError, words: words.noImageWords, from: 'api' }),
	entry({
		failure: SparkHttpError,
		words: words.httpWords,
		from: 'api',
		namesTask: true,
		afterCompletion: true,
		response: (error) => understood(error.reply.apiError),
	}),
	entry({ failure: SparkRedirectError, words: words.redirectWords, from: 'api', namesTask: true }),
	entry({ failure: ApiRejectedError, words: words.apiRejectedWords, from: 'api', namesTask: true, response: (error) => understood(error.error) }),
	entry({ failure: SparkResponseTooLargeError, words: words.tooLargeWords, from: 'api', namesTask: true, afterCompletion: true }),
	entry({
		failure: SparkNetworkError,
		words: words.networkWords,
		from: (error) => (error.requestKind === 'input' ? 'node' : 'api'),
		namesTask: true,
		afterCompletion: true,
	}),
	entry({ failure: UnexpectedResponseError, words: words.unexpectedResponseWords, from: 'api', namesTask: true }),
	entry({ failure: StagingHttpError, words: words.stagingItemWords, from: 'api', namesTask: true }),
	entry({ failure: StagingNetworkError, words: words.stagingItemWords, from: 'api', namesTask: true }),
	entry({ failure: CancelledError, words: words.cancelledWords, from: 'node', namesTask: true }),
	entry({ failure: SparkPausedError, words: words.pausedWords, from: 'api', namesTask: true }),
	// Check Image First runs before a task exists, so only a result's refusal names one.
	entry({ failure: SparkRefusedError, words: words.refusedWords, from: 'node', namesTask: true }),
	entry({ failure: SparkResultNotImageError, words: words.resultNotImageWords, from: 'api', namesTask: true }),
];

/** A failure no row describes keeps its own message. */
export function toNodeError(node: INode, error: unknown, context: ErrorContext): SparkNodeError {
	let result: SparkNodeError | undefined;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) result = error;
	for (const translate of TABLE) result ??= translate(node, error, context);
	if (!result) {
		const message = error instanceof Error ? error.message : String(error);
		const description = words.withTaskId('', context.taskId) || undefined;
		result = new NodeOperationError(node, message, { itemIndex: context.itemIndex, message, description });
	}
	if (context.notes?.length) result.description = words.withNotes(result.description, context.notes);
	if (context.taskId !== undefined) result.context.taskId = context.taskId;
	return result;
}

/** A failed run throws one item's error; the tasks other items had created are named in it. */
export function withOtherTasks(error: SparkNodeError, others: string[]): SparkNodeError {
	if (others.length === 0) return error;
	error.context.otherTaskIds = others;
	error.description = words.withNotes(error.description, [words.otherTasksNote(others)]);
	return error;
}

/** An item's error as Continue On Fail outputs it, the task id included. */
export function errorItem(error: SparkNodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if ('httpCode' in error && error.httpCode) json.httpCode = error.httpCode;
	if (error.context.taskId !== undefined) json.taskId = error.context.taskId;
	return { json, pairedItem: { item: itemIndex } };
}
