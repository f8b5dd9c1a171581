/** The Options collection's entries, each defined once: an operation picks the ones that apply to it. */
import type { INodeProperties } from 'n8n-workflow';

import {
	MAX_PARALLEL,
	MAX_PARALLEL_DEFAULT,
	MAX_RESULT_SIZE,
	MAX_RESULT_SIZE_DEFAULT,
	MAX_RETRIES,
	MAX_RETRIES_DEFAULT,
	POLL_INTERVAL,
	REQUEST_TIMEOUT,
	REQUEST_TIMEOUT_DEFAULT,
	RESUBMITS,
	RESUBMITS_DEFAULT,
	TOOL_WAIT_TIMEOUT_DEFAULT,
	WAIT_TIMEOUT,
	WAIT_TIMEOUT_DEFAULT,
} from './limits';

export const downloadImageOption: INodeProperties = {
	displayName: 'Download Image',
	name: 'downloadImage',
	type: 'boolean',
	default: true,
	description:
		'Whether to download the edited image into the item\'s binary data, ready for the next node. Off by default when an AI Agent uses the node as a tool: agents read only the JSON, with its imageUrl.',
};

export const maxResultSizeOption: INodeProperties = {
	displayName: 'Max Result Size (MB)',
	name: 'maxResultSize',
	type: 'number',
	default: MAX_RESULT_SIZE_DEFAULT,
	typeOptions: { minValue: MAX_RESULT_SIZE.minMb, maxValue: MAX_RESULT_SIZE.maxMb },
	description: `The most the node downloads for one item, all of its task's result images together, from ${MAX_RESULT_SIZE.minMb} to ${MAX_RESULT_SIZE.maxMb} MB. Reading stops there, so a broken or hostile result URL cannot fill the memory; the item then fails with the task ID, and its imageUrl can still be fetched another way.`,
};

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the binary field the image is written to',
	description: 'Binary field for the edited image; a second image, if any, goes to the same name followed by "_2"',
};

export const waitTimeoutOption: INodeProperties = {
	displayName: 'Wait Timeout (Seconds)',
	name: 'waitTimeout',
	type: 'number',
	default: WAIT_TIMEOUT_DEFAULT,
	typeOptions: { minValue: WAIT_TIMEOUT.minSeconds, maxValue: WAIT_TIMEOUT.maxSeconds },
	description: `The longest one item may take, from ${WAIT_TIMEOUT.minSeconds} to ${WAIT_TIMEOUT.maxSeconds} seconds: checking and uploading the input image, creating the task (waits for rate limits included), waiting for it and downloading the result. When an AI Agent uses the node as a tool, the default is ${TOOL_WAIT_TIMEOUT_DEFAULT} seconds.`,
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, maxValue: POLL_INTERVAL.maxSeconds, numberPrecision: 1 },
	description:
		'Seconds between status checks. 0 (the default) checks soon after the task is created and then less often as it runs, so results arrive quickly and long tasks cost few requests; with several items, later tasks are first checked about when the earlier ones of the run finished.',
};

export const onTimeoutOption: INodeProperties = {
	displayName: 'On Timeout',
	name: 'onTimeout',
	type: 'options',
	options: [
		{
			name: 'Fail with the Task ID',
			value: 'error',
			description: 'Stop with an error that names the task ID',
		},
		{
			name: 'Return the Item',
			value: 'returnItem',
			description: 'Output the item with status "timeout" and the task ID, to pick up later with Get Task Status',
		},
	],
	default: 'error',
	description: 'What to do when the task is still running at the wait timeout',
};

export const maxParallelOption: INodeProperties = {
	displayName: 'Max Parallel Tasks',
	name: 'maxParallel',
	type: 'number',
	default: MAX_PARALLEL_DEFAULT,
	typeOptions: { minValue: MAX_PARALLEL.min, maxValue: MAX_PARALLEL.max, numberPrecision: 0 },
	description: `How many input items are processed at the same time, from ${MAX_PARALLEL.min} to ${MAX_PARALLEL.max}. Output order always follows the input.`,
};

export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	default: REQUEST_TIMEOUT_DEFAULT,
	typeOptions: { minValue: REQUEST_TIMEOUT.minSeconds, maxValue: REQUEST_TIMEOUT.maxSeconds },
	description: 'How long a single HTTP request may take before it is abandoned',
};

export const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: MAX_RETRIES_DEFAULT,
	typeOptions: { minValue: MAX_RETRIES.min, maxValue: MAX_RETRIES.max, numberPrecision: 0 },
	description:
		'How often a status check or download is retried after a network error, a rate limit (429) or a server error (5xx). A create request is only retried when the API says it did not process it.',
};

export const resubmitOption: INodeProperties = {
	displayName: 'Resubmit on Server Error',
	name: 'resubmitOnServerError',
	type: 'number',
	default: RESUBMITS_DEFAULT,
	typeOptions: { minValue: RESUBMITS.min, maxValue: RESUBMITS.max, numberPrecision: 0 },
	description:
		'How many times to create the task again when it fails with a server-side error (003010095-003010099). Each resubmission is billed as a new task.',
};

export const checkImageOption: INodeProperties = {
	displayName: 'Check Image First',
	name: 'checkImage',
	type: 'boolean',
	default: false,
	// Binary input is always checked before it is uploaded.
	displayOptions: { show: { '/imageSource': ['url'] } },
	description:
		'Whether to download the input image before creating the task and refuse it unless it is a JPG or PNG of at most 5 MB and 4096 x 4096 pixels, so a bad image costs nothing',
};

export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		// n8n lists collection entries alphabetically
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
