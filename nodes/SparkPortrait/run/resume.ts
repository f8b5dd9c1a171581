/**
 * Resume, don't re-create. n8n's Retry On Fail runs the whole node again, in the same process
 * (also on a queue-mode worker), for the same execution and run index: every item, including
 * those whose tasks were created or even completed on the try that failed. This registry keeps,
 * per item, the task its earlier try created, so the next try picks that task up instead of
 * paying for another.
 *
 * The key holds the execution, the node, its run index, the item index and a hash of the create
 * body, so another execution, node, loop pass, item or a changed body never reuses a task.
 * Entries are kept per node run, and no entry of a run that may still be tried again is ever
 * dropped, however many items are in play: memory is bounded by ending runs that are over (their
 * output delivered, their last try ended, their execution cancelled). A run whose try ended and
 * that no next try picked up within RUN_GRACE_MS is over too (n8n starts the next try after Wait
 * Between Tries, at most 5 s; the execution was stopped in between).
 */
import { createHash } from 'crypto';

import type { CreateTaskBody, SparkTask } from '../api/types';
import type { StagedImage } from '../staging/binaryInput';

export const RUN_GRACE_MS = 60 * 60 * 1000;

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
	/** The staged input image the latest task was given: key, link and expiry, named again by a resumed item. */
	image?: StagedImage;
	/** The next try deletes that image when the task ends (Delete Staged Image on): it was handed over. */
	handedOver?: boolean;
}

/** The items of one node run, and where its tries stand. */
interface RunRecord {
	entries: Map<string, ResumeEntry>;
	tries: number;
	/** A try is running: nothing of the run may go. */
	trying: boolean;
	endedAt: number;
}

/** n8n's own bounds on Max Tries (n8n-core's retry loop, 1.x and 2.x alike). */
export function maxTriesOf(node: { retryOnFail?: boolean; maxTries?: number }): number {
	return node.retryOnFail === true ? Math.min(5, Math.max(2, node.maxTries || 3)) : 1;
}

function bodyHash(body: CreateTaskBody): string {
	return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

function runKeyOf(scope: RunScope): string {
	return JSON.stringify([scope.executionId, scope.nodeId, scope.runIndex]);
}

/** The item's key: its run's key, then the item and the body ("#" never occurs after the run's part). */
export function resumeKey(scope: RunScope, itemIndex: number, body: CreateTaskBody): string {
	return `${runKeyOf(scope)}#${itemIndex}:${bodyHash(body)}`;
}

function runKeyOfEntry(key: string): string {
	return key.slice(0, key.lastIndexOf('#'));
}

/** Exported for the unit test, which builds one with its own clock and grace (the process's one waits an hour). */
export class ResumeRegistry {
	private readonly runs = new Map<string, RunRecord>();

	constructor(
		private readonly now: () => number = () => Date.now(),
		private readonly graceMs = RUN_GRACE_MS,
	) {}

	/** Entries kept, over every run. */
	get size(): number {
		let size = 0;
		for (const run of this.runs.values()) size += run.entries.size;
		return size;
	}

	/** Starts one more try of the node run (n8n's Retry On Fail); returns its number, 1 for the first. */
	countTry(scope: RunScope): number {
		this.sweep();
		const key = runKeyOf(scope);
		const run = this.runs.get(key) ?? { entries: new Map(), tries: 0, trying: false, endedAt: 0 };
		run.tries++;
		run.trying = true;
		this.runs.set(key, run);
		return run.tries;
	}

	/** A run that is over ends with all its entries; otherwise they wait for n8n's next try. */
	endTry(scope: RunScope, over: boolean): void {
		const key = runKeyOf(scope);
		const run = this.runs.get(key);
		if (over) this.runs.delete(key);
		else if (run) {
			run.trying = false;
			run.endedAt = this.now();
		}
	}

	/** The entry of an earlier try, counted as one more try. */
	resume(key: string): ResumeEntry | undefined {
		const entry = this.entryOf(key);
		if (entry) entry.tries++;
		return entry;
	}

	/**
	 * Records a create request as the item's task; a resubmission replaces the task of the same
	 * entry. A create that fails leaves no task behind, so its entry ends. Outside a counted try
	 * (no run) nothing is kept.
	 */
	recordCreate(key: string, created: Promise<SparkTask>): void {
		const entries = this.runs.get(runKeyOfEntry(key))?.entries;
		const entry = entries?.get(key) ?? { created, taskIds: [], tries: 1 };
		entry.created = created;
		entry.latest = undefined;
		entries?.set(key, entry);
		created.then(
			(task) => {
				entry.taskIds.push(task.taskId);
				entry.latest ??= task;
			},
			() => {
				if (this.entryOf(key)?.created === created) this.forget(key);
			},
		);
	}

	/** Keeps the latest state of the item's task, so a completed one is not read again. */
	recordState(key: string, task: SparkTask): void {
		const entry = this.entryOf(key);
		if (entry) entry.latest = task;
	}

	recordImage(key: string, image: StagedImage): void {
		const entry = this.entryOf(key);
		if (entry) entry.image = image;
	}

	forget(key: string): void {
		this.runs.get(runKeyOfEntry(key))?.entries.delete(key);
	}

	/** The item's task may still be picked up: its entry has not ended. */
	isAlive(key: string): boolean {
		return this.entryOf(key) !== undefined;
	}

	/** Hands a staged image to the next try of the item; false when its entry has ended (the task failed). */
	keepStaged(key: string, staged: StagedImage): boolean {
		const entry = this.entryOf(key);
		if (!entry) return false;
		entry.image = staged;
		entry.handedOver = true;
		return true;
	}

	/** Takes every staged image handed over in this node run's entries (items a try never reached keep theirs). */
	takeStagedOf(scope: RunScope): StagedImage[] {
		const taken: StagedImage[] = [];
		for (const entry of this.runs.get(runKeyOf(scope))?.entries.values() ?? []) {
			if (!entry.handedOver || !entry.image) continue;
			taken.push(entry.image);
			entry.handedOver = false;
		}
		return taken;
	}

	/** The staged image an earlier try handed over to this one; from now on this try deletes it. */
	takeStaged(key: string): StagedImage | undefined {
		const entry = this.entryOf(key);
		if (!entry?.handedOver) return undefined;
		entry.handedOver = false;
		return entry.image;
	}

	private entryOf(key: string): ResumeEntry | undefined {
		return this.runs.get(runKeyOfEntry(key))?.entries.get(key);
	}

	private sweep(): void {
		const oldest = this.now() - this.graceMs;
		for (const [key, run] of this.runs) if (!run.trying && run.endedAt < oldest) this.runs.delete(key);
	}
}

export const resumeRegistry = new ResumeRegistry();
