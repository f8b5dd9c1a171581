import type { SparkTask } from './types';

type ServerStatus = SparkTask['status'];

/**
 * The document names pending/processing/completed/failed only loosely, and services of this kind
 * use many synonyms; each known word maps onto the node's set. Unknown words are left to the caller.
 */
const STATUS_WORDS: Record<ServerStatus, string[]> = {
	pending: ['pending', 'queued', 'queue', 'waiting', 'submitted', 'created', 'starting'],
	processing: ['processing', 'running', 'in_progress', 'inprogress', 'generating', 'started'],
	completed: ['completed', 'complete', 'succeeded', 'success', 'successful', 'done', 'finished'],
	failed: ['failed', 'failure', 'fail', 'error', 'errored', 'cancelled', 'canceled', 'expired', 'rejected'],
};

// A Map, not an object: "constructor" or "__proto__" is no status.
const STATUS_OF = new Map(Object.entries(STATUS_WORDS).flatMap(([status, words]) => words.map((word) => [word, status as ServerStatus])));

export function normaliseStatus(word: string): ServerStatus | undefined {
	return STATUS_OF.get(word.trim().toLowerCase().replace(/[\s-]+/g, '_'));
}

export function isTerminal(status: ServerStatus): boolean {
	return status === 'completed' || status === 'failed';
}
