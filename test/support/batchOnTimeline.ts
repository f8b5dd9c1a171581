/**
 * A batch of tasks with known run times, waited for through the node's own waitForTask and
 * item pool on a FakeClock: what the simulator does over HTTP, in virtual time, so a schedule's
 * reads and detection lags are exact and instant to compute.
 */
import type { SparkTask } from '../../nodes/SparkPortrait/api/types';
import { newRunHistory, type RunHistory } from '../../nodes/SparkPortrait/polling/batchSchedule';
import { forEachConcurrent } from '../../nodes/SparkPortrait/run/concurrency';
import { waitForTask } from '../../nodes/SparkPortrait/polling/waitForTask';
import { FakeClock } from './fakeClock';

export interface BatchSpec {
	/** Each task's real run time, in item order. */
	durationsMs: number[];
	parallel: number;
	/** The user's Poll Interval; undefined = the learning schedule. */
	pollIntervalMs?: number;
	/** A history to start from (undefined = a fresh run). */
	history?: RunHistory;
	/** Round trip of one status read, half before the server looks, half after. */
	readMs?: number;
	/** Time from seeing a task done to the item's end (the download). */
	afterMs?: number;
}

export interface BatchOutcome {
	/** Status reads per task, in item order. */
	reads: number[];
	/** Time from each task's real completion to the read that saw it, in item order. */
	lagsMs: number[];
	spanMs: number;
	history: RunHistory;
}

/** A history that never keeps what it is told: the schedule stays today's adaptive one. */
export function forgetfulHistory(): RunHistory {
	return {
		get finished() {
			return [];
		},
		get running() {
			return {};
		},
	};
}

function task(taskId: string, status: SparkTask['status']): SparkTask {
	return { taskId, status, rawStatus: status, images: [] };
}

export async function batchOnTimeline(spec: BatchSpec): Promise<BatchOutcome> {
	const clock = new FakeClock();
	const history = spec.history ?? newRunHistory();
	const readMs = spec.readMs ?? 20;
	const reads = spec.durationsMs.map(() => 0);
	const lagsMs = spec.durationsMs.map(() => NaN);
	const items = spec.durationsMs.map((_, index) => index);
	const work = forEachConcurrent(items, spec.parallel, async (index) => {
		const completesAt = clock.now() + spec.durationsMs[index];
		const client = {
			readTask: async (taskId: string) => {
				await clock.sleep(readMs / 2);
				reads[index]++;
				const done = clock.now() >= completesAt;
				if (done && Number.isNaN(lagsMs[index])) lagsMs[index] = clock.now() - completesAt;
				await clock.sleep(readMs / 2);
				return { task: task(taskId, done ? 'completed' : 'processing') };
			},
		};
		const settings = { timeoutMs: 3_600_000, pollIntervalMs: spec.pollIntervalMs, onTimeout: 'error' as const, resubmits: 0 };
		const result = await waitForTask({ client, clock, history }, task(`task_${index}`, 'pending'), settings);
		if (!result.done) throw new Error(`task ${index} timed out`);
		await clock.sleep(spec.afterMs ?? 100);
	});
	await work;
	return { reads, lagsMs, spanMs: clock.now(), history };
}
