/**
 * What one run of the node has paid for or stored. The operations report into their item's
 * record as it happens; at the end the router asks the ledger one question, `close`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CreateTaskBody, SparkTask } from '../api/types';
import type { StagingClient } from '../staging/bucketClient';
import { undeletedNote, unstageImage, type StagedImage } from '../staging/binaryInput';
import { maxTriesOf, resumeKey, resumeRegistry, type ResumeEntry, type RunScope } from './resume';

/** One item's page of the ledger: written by its operation only. */
export class ItemRecord {
	private key?: string;
	private current?: string;
	private createPending = false;
	private held?: StagedImage;
	private earlier?: { tries: number; image?: StagedImage };
	private readonly taskIds: string[] = [];
	private readonly noted: string[] = [];

	constructor(
		readonly itemIndex: number,
		private readonly scope: RunScope | undefined,
		private readonly staging: () => Promise<StagingClient>,
	) {}

	/** The item's task, once its id is known: every later error of the item names it. */
	get taskId(): string | undefined {
		return this.current;
	}

	/** Tasks created for this item (more than one after resubmissions), oldest first. */
	get createdTaskIds(): readonly string[] {
		return this.taskIds;
	}

	/** Said at the end of the item's error, if it fails (e.g. a staged image that could not be deleted). */
	get notes(): readonly string[] {
		return this.noted;
	}

	/** Set when the item picked up the task of an earlier try: its tries and staged image (resume.ts). */
	get earlierTry(): { tries: number; image?: StagedImage } | undefined {
		return this.earlier;
	}

	/** Get Task Status: records the task the item reads, so its errors name it. */
	recordRead(taskId: string): void {
		this.current = taskId;
	}

	/** The entry an earlier try of the node (Retry On Fail) left for this item, and the staged image it kept. */
	resume(body: CreateTaskBody): { entry: ResumeEntry; kept?: StagedImage } | undefined {
		if (!this.scope) return undefined;
		const key = resumeKey(this.scope, this.itemIndex, body);
		const entry = resumeRegistry.resume(key);
		if (!entry) return undefined;
		this.key = key;
		return { entry, kept: resumeRegistry.takeStaged(key) };
	}

	/** The earlier try's task is this item's task now. */
	resumed(entry: ResumeEntry, created: SparkTask): void {
		this.earlier = { tries: entry.tries, image: entry.image };
		this.taskIds.push(...entry.taskIds);
		this.current = created.taskId;
	}

	/**
	 * A create request is on its way: recorded for a retry of the node as it is sent (keyed by the plan's body,
	 * not the per-request image link), with the staged image it hands the API, and in flight until answered.
	 */
	createSent(body: CreateTaskBody, created: Promise<SparkTask>, image?: StagedImage): void {
		if (this.scope) {
			this.key = resumeKey(this.scope, this.itemIndex, body);
			resumeRegistry.recordCreate(this.key, created);
			if (image) resumeRegistry.recordImage(this.key, image);
		}
		this.createPending = true;
		const settled = () => {
			this.createPending = false;
		};
		created.then(settled, settled);
	}

	created(task: SparkTask): void {
		this.current = task.taskId;
		this.taskIds.push(task.taskId);
	}

	/** The task's latest state, kept for a retry of the node; a failed task is never picked up again. */
	seen(task: SparkTask): void {
		if (this.key === undefined) return;
		if (task.status === 'failed') resumeRegistry.forget(this.key);
		else resumeRegistry.recordState(this.key, task);
	}

	/** A failed item's image: held for the ledger's close while its task may still be resumed, else deleted now. */
	async holdOrRelease(staged: StagedImage | undefined): Promise<void> {
		if (staged && this.key !== undefined && resumeRegistry.isAlive(this.key)) this.held = staged;
		else await this.release(staged);
	}

	/** Deletes a staged image, if any; a failed delete is noted, so the item's error names the object left behind. */
	async release(staged: StagedImage | undefined): Promise<IDataObject | undefined> {
		if (!staged) return undefined;
		const result = await unstageImage(await this.staging(), staged);
		const note = undeletedNote(result);
		if (note) this.noted.push(note);
		return result;
	}

	/**
	 * An upload that got no answer (a timeout, a dropped connection, a cancel) may have been stored
	 * all the same: it is deleted at once, and the item's error names it either way.
	 */
	async discardUnanswered(staged: StagedImage): Promise<void> {
		const result = await unstageImage(await this.staging(), staged);
		this.noted.push(undeletedNote(result) ?? `The upload of ${staged.bucket}/${staged.key} got no answer; that object was deleted in case the bucket had stored it.`);
	}

	/** What the run's error says of this item when another item failed the run. */
	paidFor(): string[] {
		return [...this.taskIds, ...(this.createPending ? ['a task whose create request was still unanswered'] : [])];
	}

	/** The try is over: a held image goes to the next try, or is deleted now. Returns the notes this added. */
	async settle(keepImage: boolean): Promise<string[]> {
		const staged = this.held;
		if (!staged || this.key === undefined) return [];
		this.held = undefined;
		if (keepImage && resumeRegistry.keepStaged(this.key, staged)) return [];
		const noted = this.noted.length;
		await this.release(staged);
		return this.noted.slice(noted);
	}
}

/** This node run's part of the resume key, or undefined where n8n gives no execution id. */
function runScope(ctx: IExecuteFunctions): RunScope | undefined {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return { executionId, nodeId: node.id ?? node.name, runIndex: ctx.getWorkflowDataProxy(0).$runIndex };
}

export class RunLedger {
	private readonly records: ItemRecord[] = [];
	private readonly scope: RunScope | undefined;
	private readonly tryNumber: number;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly staging: () => Promise<StagingClient>,
	) {
		this.scope = runScope(ctx);
		this.tryNumber = this.scope ? resumeRegistry.countTry(this.scope) : 1;
	}

	/** The item's page, opened when its operation starts. */
	open(itemIndex: number): ItemRecord {
		const record = new ItemRecord(itemIndex, this.scope, this.staging);
		this.records.push(record);
		return record;
	}

	/** What other items had paid for when one failed the run, e.g. "item 2: t-1, t-2". */
	otherTasks(failedIndex: number): string[] {
		return this.records
			.filter((record) => record.itemIndex !== failedIndex && record.paidFor().length > 0)
			.map((record) => `item ${record.itemIndex}: ${record.paidFor().join(', ')}`);
	}

	/**
	 * The try is over. n8n runs the node again (Retry On Fail) after it threw, and after an output
	 * whose first item is an error item (Continue On Fail), unless this was the last try or the
	 * execution was cancelled; then the items' tasks stay for the next try, and held images too.
	 * Otherwise the run is over: every image held or kept is deleted, and the run's entries end.
	 * Answers with the notes of images that could not be deleted: per item, and for the run's error.
	 */
	async close(end: { threw: boolean; output: INodeExecutionData[]; cancelled: boolean }) {
		const node = this.ctx.getNode();
		const firstError = end.output[0]?.json?.error;
		const runsAgain = node.retryOnFail === true && (end.threw || (firstError !== undefined && firstError !== null && firstError !== false));
		const over = !runsAgain || this.tryNumber >= maxTriesOf(node) || end.cancelled;
		try {
			const itemNotes = new Map<number, string[]>();
			await Promise.all(this.records.map(async (record) => {
				const notes = await record.settle(!over);
				if (notes.length > 0) itemNotes.set(record.itemIndex, notes);
			}));
			// No try follows: images an earlier try kept for items this one never reached go too.
			const stranded = over && this.scope ? resumeRegistry.takeStagedOf(this.scope) : [];
			if (stranded.length === 0) return { itemNotes, runNotes: [] };
			const client = await this.staging();
			const deleted = await Promise.all(stranded.map(async (staged) => await unstageImage(client, staged)));
			return { itemNotes, runNotes: deleted.map(undeletedNote).filter((note) => note !== undefined) };
		} finally {
			if (this.scope) resumeRegistry.endTry(this.scope, over);
		}
	}
}
