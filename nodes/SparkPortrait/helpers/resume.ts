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
import type { StagedImage } from './binaryInput';

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
	/** A staged input image kept for the next try, whose task may still fetch it (Delete Staged Image on). */
	staged?: StagedImage;
	touchedAt: number;
}

/** n8n's own bounds on Max Tries (n8n-core's retry loop, 1.x and 2.x alike). */
export function maxTriesOf(node: { retryOnFail?: boolean; maxTries?: number }): number {
	return node.retryOnFail === true ? Math.min(5, Math.max(2, node.maxTries || 3)) : 1;
}

function bodyHash(body: CreateTaskBody): string {
	return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export function resumeKey(scope: RunScope, itemIndex: number, body: CreateTaskBody): string {
	return JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex, itemIndex, bodyHash(body)]);
}

/** Exported for the unit test, which builds one with its own clock, TTL and size bound (the process's one uses hours). */
export class ResumeRegistry {
	private readonly entries = new Map<string, ResumeEntry>();
	/** Per node run: how many times n8n has run it, so the last try of Retry On Fail is known. */
	private readonly nodeTries = new Map<string, { tries: number; touchedAt: number }>();

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

	/** Counts one more run of the node for the same execution, node and run index; returns its number. */
	countTry(scope: RunScope): number {
		const key = JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex]);
		const oldest = this.now() - this.ttlMs;
		for (const [other, counted] of this.nodeTries) {
			if (counted.touchedAt > oldest && this.nodeTries.size < this.maxEntries) break;
			this.nodeTries.delete(other);
		}
		const tries = (this.nodeTries.get(key)?.tries ?? 0) + 1;
		this.nodeTries.delete(key);
		this.nodeTries.set(key, { tries, touchedAt: this.now() });
		return tries;
	}

	endTries(scope: RunScope): void {
		this.nodeTries.delete(JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex]));
	}

	/** The item's task may still be picked up: its entry has not ended. */
	isAlive(key: string): boolean {
		return this.entries.has(key);
	}

	/** Hands a staged image to the next try of the item; false when its entry has ended (the task failed). */
	keepStaged(key: string, staged: StagedImage): boolean {
		const entry = this.entries.get(key);
		if (!entry) return false;
		entry.staged = staged;
		return true;
	}

	/** Takes every staged image kept in this node run's entries (items a try never reached keep theirs). */
	takeStagedOf(scope: RunScope): StagedImage[] {
		const prefix = JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex]).slice(0, -1) + ',';
		const taken: StagedImage[] = [];
		for (const [key, entry] of this.entries) {
			if (!key.startsWith(prefix) || !entry.staged) continue;
			taken.push(entry.staged);
			entry.staged = undefined;
		}
		return taken;
	}

	/** The staged image an earlier try kept for this one; from now on this try deletes it. */
	takeStaged(key: string): StagedImage | undefined {
		const entry = this.entries.get(key);
		const staged = entry?.staged;
		if (entry) entry.staged = undefined;
		return staged;
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
