import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

import { CODE, outcomeError, taskError } from './errorCodes';
import { runImageJob, type ImageResult } from './imageJob';
import type { ImageStore } from './imageStore';
import { randomId, seededRandom } from './random';
import { progressShare } from './progressShapes';
import type { CanonicalStatus, ProgressShape, ResolvedOptions, SimTask, TaskError, TaskOutcome, TaskParams } from './types';
import { MODEL } from './validateCreate';

interface TaskRecord {
	id: string;
	jobId: string;
	params: TaskParams;
	outcome: TaskOutcome;
	createdAt: number;
	pendingUntil: number;
	completesAt: number;
	image?: ImageResult;
	imageSettledAt?: number;
}

export interface TaskState {
	status: CanonicalStatus;
	/** Before the end: the share of the task's time gone, 0-1, as Vtrix reports `progress`. */
	progress?: number;
	error?: TaskError;
	/** Path of the result image on the simulator, when completed. */
	output?: { path: string; size: number; jobId: string };
}

/** Shaped by time (progressShapes.ts), two decimals, never 1 before the task is done (a late picture stalls at 0.99). */
function progressAt(record: TaskRecord, now: number, shape: ProgressShape): number | undefined {
	const span = record.completesAt - record.createdAt;
	const progress = progressShare(shape, span > 0 ? (now - record.createdAt) / span : 1);
	return progress === undefined ? undefined : Math.min(0.99, Math.max(0, Math.floor(progress * 100) / 100));
}

/** When the status turned terminal: the duration's end, unless the picture was not ready by then. */
function finishedAt(record: TaskRecord): number | undefined {
	if (record.outcome.kind === 'never') return undefined;
	if (record.outcome.kind === 'fail') return record.completesAt;
	if (record.imageSettledAt === undefined) return undefined;
	return Math.max(record.completesAt, record.imageSettledAt);
}

export function downloadKey(taskId: string, jobId: string): string {
	return `${taskId}/${jobId}`;
}

/** Tasks and their life cycle. Status is derived from the clock on each read, so no timer per task. */
export class TaskStore {
	private readonly tasks = new Map<string, TaskRecord>();
	private outcomes: TaskOutcome[] = [];
	/** Seeded, so a run with spread or jitter repeats exactly; reseed() restarts it. */
	private random: () => number;
	private readonly abort = new AbortController();
	private readonly running = new Set<Promise<void>>();

	constructor(
		private readonly options: ResolvedOptions,
		private readonly images: ImageStore,
	) {
		this.random = seededRandom(options.taskTimeSeed);
		// One signal stops every task's image work at close: thousands of listeners are its job, not a leak
		// (Node warns past 10, which read like a leak in the node's test output).
		setMaxListeners(0, this.abort.signal);
	}

	reseed(): void {
		this.random = seededRandom(this.options.taskTimeSeed);
	}

	queueOutcomes(outcomes: TaskOutcome[]): void {
		this.outcomes.push(...outcomes);
	}

	clearOutcomes(): void {
		this.outcomes = [];
	}

	create(params: TaskParams, now = this.options.now()): TaskRecord {
		const outcome = this.outcomes.shift() ?? { kind: 'complete' };
		const duration = outcome.kind !== 'never' && outcome.durationMs !== undefined ? outcome.durationMs : this.drawDuration();
		const { pendingFraction } = this.options;
		const record: TaskRecord = {
			id: randomId('task_'),
			jobId: randomId('job_'),
			params,
			outcome,
			createdAt: now,
			pendingUntil: now + duration * pendingFraction,
			completesAt: now + duration,
		};
		this.tasks.set(record.id, record);
		this.startImageJob(record);
		return record;
	}

	/** Mean x (1 +- spread), then +- jitter: one draw each, so either alone repeats as before. */
	private drawDuration(): number {
		const { taskDurationMs, taskTimeSpread, jitterMs } = this.options;
		const spread = taskTimeSpread > 0 ? (this.random() * 2 - 1) * taskTimeSpread : 0;
		const jitter = jitterMs > 0 ? (this.random() * 2 - 1) * jitterMs : 0;
		return Math.max(0, taskDurationMs * (1 + spread) + jitter);
	}

	has(id: string): boolean {
		return this.tasks.has(id);
	}

	createdAt(id: string): number | undefined {
		return this.tasks.get(id)?.createdAt;
	}

	params(id: string): TaskParams | undefined {
		return this.tasks.get(id)?.params;
	}

	state(id: string, now = this.options.now()): TaskState | undefined {
		const record = this.tasks.get(id);
		if (!record) return undefined;
		if (now < record.pendingUntil) return { status: 'pending', progress: progressAt(record, now, this.options.progressShape) };
		if (record.outcome.kind === 'never' || now < record.completesAt) return { status: 'processing', progress: progressAt(record, now, this.options.progressShape) };
		if (record.outcome.kind === 'fail') {
			return { status: 'failed', error: outcomeError(record.outcome.code, record.outcome.message) };
		}
		// The deadline has passed but the picture is not ready: keep saying processing, as a real service would.
		if (!record.image) return { status: 'processing', progress: progressAt(record, now, this.options.progressShape) };
		if (!record.image.ok) return { status: 'failed', error: record.image.error };
		return {
			status: 'completed',
			output: { path: `/cdn/${record.id}/${record.jobId}.jpg`, size: record.image.bytes.length, jobId: record.jobId },
		};
	}

	snapshot(id: string, baseUrl: string): SimTask | undefined {
		const record = this.tasks.get(id);
		const state = this.state(id);
		if (!record || !state) return undefined;
		return {
			id: record.id,
			jobId: record.jobId,
			model: MODEL,
			status: state.status,
			params: { ...record.params },
			outcome: record.outcome,
			createdAt: record.createdAt,
			pendingUntil: record.pendingUntil,
			completesAt: record.completesAt,
			imageSettled: record.image !== undefined,
			finishedAt: finishedAt(record),
			error: state.error,
			output: state.output && { url: baseUrl + state.output.path, size: state.output.size, jobId: state.output.jobId },
		};
	}

	/** Stops in-flight fetches and waits for image work, so nothing runs after close. */
	async close(): Promise<void> {
		this.abort.abort();
		await Promise.allSettled([...this.running]);
	}

	get imageWorkRunning(): boolean {
		return this.running.size > 0;
	}

	private startImageJob(record: TaskRecord): void {
		const job = delay(this.options.inputFetchDelayMs, undefined, { signal: this.abort.signal })
			.then(() => runImageJob(record.params, this.options.inputFetchTimeoutMs, this.abort.signal, this.options.imageWork))
			.catch((error: unknown): ImageResult => ({ ok: false, error: taskError(CODE.internal, String(error)) }))
			.then((result) => {
				record.image = result;
				record.imageSettledAt = this.options.now();
				if (result.ok) this.images.put(downloadKey(record.id, record.jobId), result.bytes);
				this.running.delete(job);
			});
		this.running.add(job);
	}
}
