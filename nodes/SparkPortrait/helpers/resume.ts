/**
 * Resume, don't re-create. n8n's Retry On Fail runs the whole node again, in the same process
 * (also on a queue-mode worker), for the same execution and run index: every item, including
 * those whose tasks were created or even completed on the try that failed. This registry keeps,
 * per item, the task its earlier try created, so the next try picks that task up instead of
 * paying for another.
 *
 * The key holds the execution, the node, its run index, the item index and a hash of the create
 * body, so another execution, node, loop pass, item or a changed body never reuses a task. An
 * entry ends when its task fails or its result is delivered, and in any case after ENTRY_TTL_MS;
 * at most MAX_ENTRIES are kept, the least recently used dropped first.
 */
import { createHash } from 'crypto';

import type { CreateTaskBody, SparkTask } from '../api/types';

export const ENTRY_TTL_MS = 3 * 60 * 60 * 1000;
export const MAX_ENTRIES = 2000;

/** One node run: the part of the key every item shares. Without an execution id nothing is kept. */
export interface RunScope {
	executionId: string;
	nodeId: string;
	runIndex: number;
}

export interface ResumeEntry {
	/** The create request of the latest task, settled or still in flight. */
	created: Promise<SparkTask>;
	/** The latest state seen of that task, once it is known. */
	latest?: SparkTask;
	/** Every task created for the item, oldest first (more than one after resubmissions). */
	taskIds: string[];
	/** Runs of the node that have worked on the item, this one included. */
	tries: number;
	touchedAt: number;
}

function bodyHash(body: CreateTaskBody): string {
	return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export function resumeKey(scope: RunScope, itemIndex: number, body: CreateTaskBody): string {
	return JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex, itemIndex, bodyHash(body)]);
}

export class ResumeRegistry {
	private readonly entries = new Map<string, ResumeEntry>();

	constructor(
		private readonly now: () => number = () => Date.now(),
		private readonly ttlMs = ENTRY_TTL_MS,
		private readonly maxEntries = MAX_ENTRIES,
	) {}

	get size(): number {
		return this.entries.size;
	}

	/** The entry of an earlier try, counted as one more try. */
	resume(key: string): ResumeEntry | undefined {
		this.sweep(this.maxEntries);
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		entry.tries++;
		this.touch(key, entry);
		return entry;
	}

	/**
	 * Records a create request as the item's task; a resubmission replaces the task of the same
	 * entry. A create that fails leaves no task behind, so its entry ends.
	 */
	recordCreate(key: string, created: Promise<SparkTask>): ResumeEntry {
		this.sweep(this.entries.has(key) ? this.maxEntries : this.maxEntries - 1);
		const entry = this.entries.get(key) ?? { created, taskIds: [], tries: 1, touchedAt: 0 };
		entry.created = created;
		entry.latest = undefined;
		this.touch(key, entry);
		created.then(
			(task) => {
				entry.taskIds.push(task.taskId);
				entry.latest ??= task;
			},
			() => {
				if (this.entries.get(key)?.created === created) this.entries.delete(key);
			},
		);
		return entry;
	}

	/** Keeps the latest state of the item's task, so a completed one is not read again. */
	recordState(key: string, task: SparkTask): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		entry.latest = task;
		this.touch(key, entry);
	}

	forget(key: string): void {
		this.entries.delete(key);
	}

	private touch(key: string, entry: ResumeEntry): void {
		entry.touchedAt = this.now();
		// Re-inserted, so the map stays in least-recently-used order for sweep().
		this.entries.delete(key);
		this.entries.set(key, entry);
	}

	/** Drops expired entries, and the least recently used ones beyond `keep`. */
	private sweep(keep: number): void {
		const oldest = this.now() - this.ttlMs;
		for (const [key, entry] of this.entries) {
			if (entry.touchedAt > oldest && this.entries.size <= keep) break;
			this.entries.delete(key);
		}
	}
}

/** One per process: n8n retries a node in the process that ran it. */
export const resumeRegistry = new ResumeRegistry();
