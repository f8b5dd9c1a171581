/**
 * Reads the Options collection into plain numbers, clamped to the documented bounds, so the rest
 * of the node never sees an out-of-range or non-numeric option.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	IMAGE_LINK_EXPIRY,
	MAX_PARALLEL,
	MAX_RESULT_SIZE,
	MAX_RETRIES,
	POLL_INTERVAL,
	REQUEST_TIMEOUT,
	RESUBMITS,
	TOOL_WAIT_TIMEOUT_DEFAULT,
	WAIT_TIMEOUT,
} from './limits';
import { InputError } from '../errors/failures';
import { toNumber } from '../api/validation';

export interface WaitSettings {
	timeoutMs: number;
	/** The user's Poll Interval; undefined = learn the schedule from the run (batchSchedule). */
	pollIntervalMs?: number;
	onTimeout: 'error' | 'returnItem';
	resubmits: number;
}

export type OutputSettings = ReturnType<typeof outputSettings>;
export type RunSettings = ReturnType<typeof runSettings>;
export type BinarySource = NonNullable<ReturnType<typeof binarySource>>;

/** An option as a number within its bounds: `fallback` when it holds none. */
function bounded(value: unknown, fallback: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, toNumber(value) ?? fallback));
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** Whether n8n runs the node as an AI Agent's tool (its type is then `…sparkPortraitTool`). */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

export function waitSettings(options: IDataObject, asTool = false): WaitSettings {
	const fallback = asTool ? TOOL_WAIT_TIMEOUT_DEFAULT : WAIT_TIMEOUT.defaultSeconds;
	const timeoutSeconds = bounded(options.waitTimeout, fallback, WAIT_TIMEOUT.minSeconds, WAIT_TIMEOUT.maxSeconds);
	const interval = toNumber(options.pollInterval) ?? 0;
	return {
		timeoutMs: timeoutSeconds * 1000,
		pollIntervalMs: interval > 0 ? bounded(interval, 0, POLL_INTERVAL.minSeconds, POLL_INTERVAL.maxSeconds) * 1000 : undefined,
		onTimeout: options.onTimeout === 'returnItem' ? 'returnItem' : 'error',
		resubmits: Math.round(bounded(options.resubmitOnServerError, RESUBMITS.default, RESUBMITS.min, RESUBMITS.max)),
	};
}

export function outputSettings(options: IDataObject, asTool = false) {
	const property = typeof options.binaryPropertyName === 'string' ? options.binaryPropertyName.trim() : '';
	return {
		// An agent reads JSON only (n8n drops binary data from a tool's answer): no download unless asked for.
		download: typeof options.downloadImage === 'boolean' ? options.downloadImage : !asTool,
		binaryProperty: property === '' ? 'data' : property,
		maxResultBytes: Math.round(bounded(options.maxResultSize, MAX_RESULT_SIZE.defaultMb, MAX_RESULT_SIZE.minMb, MAX_RESULT_SIZE.maxMb) * 1024 * 1024),
	};
}

export function runSettings(options: IDataObject) {
	return {
		maxParallel: Math.round(bounded(options.maxParallel, MAX_PARALLEL.default, MAX_PARALLEL.min, MAX_PARALLEL.max)),
		requestTimeoutMs: bounded(options.requestTimeout, REQUEST_TIMEOUT.defaultSeconds, REQUEST_TIMEOUT.minSeconds, REQUEST_TIMEOUT.maxSeconds) * 1000,
		maxRetries: Math.round(bounded(options.maxRetries, MAX_RETRIES.default, MAX_RETRIES.min, MAX_RETRIES.max)),
		checkImage: options.checkImage === true,
	};
}

/** Undefined when the image comes as a URL. `canDelete` is false for Create Task, which does not wait for the task to end. */
export function binarySource(ctx: IExecuteFunctions, itemIndex: number, canDelete: boolean) {
	if (ctx.getNodeParameter('imageSource', itemIndex, 'url') !== 'binary') return undefined;
	const field = ctx.getNodeParameter('inputBinaryField', itemIndex, 'data');
	const binaryField = typeof field === 'string' ? field.trim() : '';
	if (binaryField === '') {
		throw new InputError('Input Binary Field', 'is empty: give the name of the binary field that holds the portrait (usually "data")');
	}
	const options = readOptions(ctx, itemIndex);
	const minutes = bounded(options.imageLinkExpiry, IMAGE_LINK_EXPIRY.defaultMinutes, IMAGE_LINK_EXPIRY.minMinutes, IMAGE_LINK_EXPIRY.maxMinutes);
	return {
		binaryField,
		linkExpirySeconds: Math.round(minutes * 60),
		deleteAfter: canDelete && options.deleteStagedImage !== false,
	};
}
