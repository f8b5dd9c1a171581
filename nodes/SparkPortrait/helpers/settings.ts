/**
 * Reads the Options collection into plain numbers, clamped to the documented bounds, so the rest
 * of the node never sees an out-of-range or non-numeric option.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_PARALLEL,
	MAX_RETRIES,
	POLL_INTERVAL,
	REQUEST_TIMEOUT,
	RESUBMITS,
	WAIT_TIMEOUT,
} from '../api/limits';

export interface WaitSettings {
	timeoutMs: number;
	/** The user's Poll Interval; undefined = learn the schedule from the run (batchSchedule). */
	pollIntervalMs?: number;
	onTimeout: 'error' | 'returnItem';
	resubmits: number;
}

export interface OutputSettings {
	download: boolean;
	binaryProperty: string;
}

export interface RunSettings {
	maxParallel: number;
	requestTimeoutMs: number;
	maxRetries: number;
	checkImage: boolean;
}

function numberOr(value: unknown, fallback: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

export function waitSettings(options: IDataObject): WaitSettings {
	const timeoutSeconds = clamp(numberOr(options.waitTimeout, WAIT_TIMEOUT.defaultSeconds), WAIT_TIMEOUT.minSeconds, WAIT_TIMEOUT.maxSeconds);
	const interval = numberOr(options.pollInterval, 0);
	return {
		timeoutMs: timeoutSeconds * 1000,
		pollIntervalMs: interval > 0 ? clamp(interval, POLL_INTERVAL.minSeconds, POLL_INTERVAL.maxSeconds) * 1000 : undefined,
		onTimeout: options.onTimeout === 'returnItem' ? 'returnItem' : 'error',
		resubmits: Math.round(clamp(numberOr(options.resubmitOnServerError, RESUBMITS.default), RESUBMITS.min, RESUBMITS.max)),
	};
}

export function outputSettings(options: IDataObject): OutputSettings {
	const property = typeof options.binaryPropertyName === 'string' ? options.binaryPropertyName.trim() : '';
	return {
		download: options.downloadImage !== false,
		binaryProperty: property === '' ? 'data' : property,
	};
}

export function runSettings(options: IDataObject): RunSettings {
	return {
		maxParallel: Math.round(clamp(numberOr(options.maxParallel, MAX_PARALLEL.default), MAX_PARALLEL.min, MAX_PARALLEL.max)),
		requestTimeoutMs: clamp(numberOr(options.requestTimeout, REQUEST_TIMEOUT.defaultSeconds), REQUEST_TIMEOUT.minSeconds, REQUEST_TIMEOUT.maxSeconds) * 1000,
		maxRetries: Math.round(clamp(numberOr(options.maxRetries, MAX_RETRIES.default), MAX_RETRIES.min, MAX_RETRIES.max)),
		checkImage: options.checkImage === true,
	};
}
