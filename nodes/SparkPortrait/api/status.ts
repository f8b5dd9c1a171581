import type { SparkTask } from './types';

type ServerStatus = SparkTask['status'];

/**
 * The document names pending/processing/completed/failed only loosely, and services of this kind
 * use many synonyms; each known word maps onto the node's set. Unknown words are left to the caller.
 */
const STATUS_WORDS: Record<string, ServerStatus> = {
	pending: 'pending',
	queued: 'pending',
	queue: 'pending',
	waiting: 'pending',
	submitted: 'pending',
	created: 'pending',
	starting: 'pending',
	processing: 'processing',
	running: 'processing',
	in_progress: 'processing',
	inprogress: 'processing',
	generating: 'processing',
	started: 'processing',
	completed: 'completed',
	complete: 'completed',
	succeeded: 'completed',
	success: 'completed',
	successful: 'completed',
	done: 'completed',
	finished: 'completed',
	failed: 'failed',
	failure: 'failed',
	fail: 'failed',
	error: 'failed',
	errored: 'failed',
	cancelled: 'failed',
	canceled: 'failed',
	expired: 'failed',
	rejected: 'failed',
};

export function normaliseStatus(word: string): ServerStatus | undefined {
	const key = word.trim().toLowerCase().replace(/[\s-]+/g, '_');
	// Own words only: "constructor" or "__proto__" is no status.
	return Object.hasOwn(STATUS_WORDS, key) ? STATUS_WORDS[key] : undefined;
}

export function isTerminal(status: ServerStatus): boolean {
	return status === 'completed' || status === 'failed';
}
