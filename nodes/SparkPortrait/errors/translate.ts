/**
 * Every failure of an item ends here and becomes the NodeApiError or NodeOperationError the user
 * sees. Whatever the failure, a task id that was already received is named in the message and
 * kept in the error's context, so a task that was paid for is never lost.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';

import { NO_ERROR_CODE } from '../api/errorCodes';
import { ApiRejectedError, knownErrorFields, UnexpectedResponseError } from '../api/parse';
import type { SparkTask, TaskStatus } from '../api/types';
import { InputError } from '../api/validation';
import { CancelledError } from '../transport/clock';
import { SparkHttpError, SparkInputRefusedError, SparkNetworkError, SparkRedirectError, SparkResponseTooLargeError } from './failures';
import { StagingHttpError, StagingNetworkError } from '../staging/bucketClient';
import { codeMessage, hostOf, httpMessage, inputRefusedMessage, redirectMessage, stagingMessage, tooLargeMessage } from './messages';

export class TaskFailedError extends Error {
	constructor(
		readonly task: SparkTask,
		readonly attempts: number,
	) {
		super(`Task ${task.taskId} failed`);
		this.name = 'TaskFailedError';
	}
}

export class TaskTimeoutError extends Error {
	constructor(
		readonly taskId: string,
		readonly lastStatus: TaskStatus,
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

export class NoImageError extends Error {
	constructor(readonly taskId: string) {
		super(`Task ${taskId} completed without an image`);
		this.name = 'NoImageError';
	}
}

export type SparkNodeError = NodeApiError | NodeOperationError;

export interface ErrorContext {
	itemIndex: number;
	taskId?: string;
	/** Facts to add to the description, whatever the failure. */
	notes?: readonly string[];
}

/** A description with facts added at its end. */
export function withNotes(description: string | null | undefined, notes: readonly string[]): string {
	return [description, ...notes].filter(Boolean).join(' ');
}

function pickUpHint(taskId: string): string {
	return `Task ID: ${taskId}. The task may still finish: read it with the Get Task Status operation and this Task ID.`;
}

/** For a timeout: the status read still failing at the deadline, if it was. */
function lastReadNote(lastReadFailure: string | undefined): string {
	return lastReadFailure === undefined ? '' : `The last status read had not succeeded (${lastReadFailure}). `;
}

const STAGE_REQUEST: Record<ItemStage, string> = {
	check: 'read of the Image URL',
	upload: 'upload to the staging bucket',
	create: 'create request',
	download: 'result download',
};

function itemTimeoutMessage(error: ItemTimeoutError): { message: string; hint: string } {
	const seconds = Math.round(error.waitMs / 1000);
	const last = error.lastFailure === undefined ? '' : `The last ${STAGE_REQUEST[error.stage]} had not succeeded (${error.lastFailure}). `;
	if (error.stage === 'download' && error.taskId !== undefined) {
		return { message: `Task ${error.taskId} completed, but its image was not downloaded within Wait Timeout (${seconds} s)`, hint: `${last}Raise Wait Timeout, or turn Download Image off.` };
	}
	const outcome = error.createInFlight
		? 'A create request was still unanswered: a task may have been created. Check your Spark dashboard before running this item again.'
		: nothingBilled(error.taskId);
	return { message: `Wait Timeout (${seconds} s) ran out before the Vtrix API accepted the task`, hint: `${last}${outcome} Wait Timeout bounds the whole item: raise it if the service is busy.`.replace(/\s+/g, ' ').trim() };
}

function nothingBilled(taskId: string | undefined): string {
	return taskId === undefined ? 'No task was created, so nothing was billed.' : '';
}

function withTaskId(description: string, taskId: string | undefined): string {
	return taskId ? `${description} ${pickUpHint(taskId)}` : description;
}

/** Turns any failure of an item into the n8n error the user sees. */
export function toNodeError(node: INode, error: unknown, context: ErrorContext): SparkNodeError {
	const { itemIndex } = context;
	let result: SparkNodeError;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		result = error;
	} else if (error instanceof InputError) {
		result = new NodeOperationError(node, error.message, {
			itemIndex,
			// A task id the server sent can be refused too (e.g. ".."), after the task was created.
			description: context.taskId === undefined ? 'Nothing was sent to the Vtrix API, so nothing was billed.' : pickUpHint(context.taskId),
		});
	} else if (error instanceof TaskFailedError) {
		const taskError = error.task.error ?? { code: NO_ERROR_CODE, message: '' };
		const { message, hint } = codeMessage(taskError.code, taskError.message);
		const attempts = error.attempts > 1 ? ` It was created ${error.attempts} times in all.` : '';
		const task = { taskId: error.task.taskId, status: error.task.status, error: { ...taskError } };
		result = new NodeApiError(node, { task } as unknown as JsonObject, {
			itemIndex,
			message: `Task ${error.task.taskId} failed. ${message}`,
			description: `${hint}${attempts} Task ID: ${error.task.taskId}.`,
		});
	} else if (error instanceof TaskTimeoutError) {
		result = new NodeOperationError(
			node,
			`Task ${error.taskId} was still ${error.lastStatus} after ${Math.round(error.waitedMs / 1000)} s (Wait Timeout)`,
			{ itemIndex, description: `${lastReadNote(error.lastReadFailure)}${pickUpHint(error.taskId)} Or raise Wait Timeout, or set On Timeout to "Return the Item".` },
		);
	} else if (error instanceof ItemTimeoutError) {
		const { message, hint } = itemTimeoutMessage(error);
		result = new NodeOperationError(node, message, { itemIndex, description: withTaskId(hint, context.taskId ?? error.taskId) });
	} else if (error instanceof NoImageError) {
		result = new NodeApiError(node, {} as JsonObject, {
			itemIndex,
			message: `Task ${error.taskId} completed but the response holds no image URL`,
			description: withTaskId('The API response had no output[].content[] entry with a url.', error.taskId),
		});
	} else if (error instanceof SparkHttpError) {
		const { message, hint } = httpMessage(error);
		result = new NodeApiError(node, knownErrorFields(error.body) as JsonObject, {
			itemIndex,
			httpCode: String(error.statusCode),
			message,
			description: withTaskId(hint, context.taskId),
		});
	} else if (error instanceof SparkRedirectError) {
		const { message, hint } = redirectMessage(error);
		result = new NodeApiError(node, {} as JsonObject, { itemIndex, httpCode: String(error.statusCode), message, description: withTaskId(hint, context.taskId) });
	} else if (error instanceof ApiRejectedError) {
		const { message, hint } = codeMessage(error.error.code, error.error.message);
		result = new NodeApiError(node, knownErrorFields(error.body) as JsonObject, {
			itemIndex,
			message,
			description: withTaskId(`${hint} The answer carried no task ID.`, context.taskId),
		});
	} else if (error instanceof SparkResponseTooLargeError) {
		const { message, hint } = tooLargeMessage(error);
		result = new NodeApiError(node, {} as JsonObject, { itemIndex, message, description: withTaskId(hint, context.taskId) });
	} else if (error instanceof SparkInputRefusedError) {
		const { message, hint } = inputRefusedMessage(error);
		result = new NodeOperationError(node, message, { itemIndex, description: hint });
	} else if (error instanceof SparkNetworkError && error.requestKind === 'input') {
		result = new NodeOperationError(node, `Could not fetch the Image URL (${hostOf(error.url)})`, {
			itemIndex,
			description: `${error.reason}. ${error.attempts} attempt(s) were made. Nothing was sent to the Vtrix API, so nothing was billed.`,
		});
	} else if (error instanceof SparkNetworkError) {
		const unknownOutcome = error.outcomeUnknown
			? ' The create request may have reached the API and created a task whose ID never arrived: check your Vtrix account before running this item again, so it is not paid for twice.'
			: '';
		result = new NodeApiError(node, {} as JsonObject, {
			itemIndex,
			// The reason (often an error code such as ECONNRESET) goes into the description: n8n swaps
			// a message that contains such a code for a generic one.
			message: `Could not reach the Vtrix API (${error.requestKind} request)`,
			description: withTaskId(`${error.reason}. ${error.attempts} attempt(s) were made.${unknownOutcome}`, context.taskId),
		});
	} else if (error instanceof UnexpectedResponseError) {
		const unknownOutcome = context.taskId === undefined
			? ' If this was the answer to creating a task, a task may have been created: check your Vtrix account before running this item again.'
			: '';
		result = new NodeApiError(node, {} as JsonObject, {
			itemIndex,
			message: error.message,
			description: withTaskId(`Check the Base URL and paths in the credential.${unknownOutcome}`, context.taskId),
		});
	} else if (error instanceof StagingHttpError || error instanceof StagingNetworkError) {
		const { message, hint } = stagingMessage(error);
		result = new NodeApiError(node, {} as JsonObject, {
			itemIndex,
			...(error instanceof StagingHttpError ? { httpCode: String(error.statusCode) } : {}),
			message,
			description: withTaskId(`${hint} ${nothingBilled(context.taskId)}`.trim(), context.taskId),
		});
	} else if (error instanceof CancelledError) {
		result = new NodeOperationError(node, 'The execution was cancelled', {
			itemIndex,
			description: withTaskId('Polling stopped.', context.taskId),
		});
	} else {
		const message = error instanceof Error ? error.message : String(error);
		result = new NodeOperationError(node, message, { itemIndex, description: withTaskId('', context.taskId).trim() || undefined });
	}
	if (context.notes?.length) result.description = withNotes(result.description, context.notes);
	if (context.taskId !== undefined) result.context.taskId = context.taskId;
	return result;
}

/** A failed run throws one item's error; the tasks other items had created are named in it. */
export function withOtherTasks(error: SparkNodeError, others: string[]): SparkNodeError {
	if (others.length === 0) return error;
	error.context.otherTaskIds = others;
	error.description = withNotes(error.description, [`Tasks created for other items before the run stopped (read them with Get Task Status, or let Retry On Fail pick them up): ${others.join('; ')}.`]);
	return error;
}

/** An item's error as Continue On Fail outputs it, the task id included. */
export function errorItem(error: SparkNodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof Error && 'httpCode' in error && error.httpCode) json.httpCode = error.httpCode;
	if (error.context.taskId !== undefined) json.taskId = error.context.taskId;
	return { json, pairedItem: { item: itemIndex } };
}
