/**
 * Polling that learns from finished tasks (pacing.ts says whose). They are the same model on similar
 * input, so a new task will most likely not finish much sooner than the fastest of them did. Reads
 * before that moment are nearly always wasted, so the first read waits for it; from there on the
 * gaps are the widest that keep a task's detection within the latency bound (5 % of its time +
 * 0.3 s), however much longer than its siblings it runs.
 */
import { adaptiveSchedule, growingGap, type PollSchedule } from './poller';

/** One finished task, in ms since its wait began: still running at one read, seen done at the next. */
export interface FinishedTask {
	runningAtMs: number;
	doneAtMs: number;
}

/** The task times seen so far, as plain data, shared by the waits that learn from them. */
export interface RunHistory {
	finished: FinishedTask[];
	/** Tasks still being waited for, by task id: how long each is known to have been running. */
	running: Record<string, number>;
}

export function newRunHistory(): RunHistory {
	return { finished: [], running: {} };
}

/**
 * How far before the fastest finished task the first read goes, as a share of its time. Of n
 * tasks that took at least that long, a new one is faster than all of them with probability
 * 1 / (n + 1) whatever the distribution, so the margin is wide while little is known and narrows
 * as tasks finish (or keep running past it).
 */
const FIRST_READ_MARGIN = 0.5;
/** A run whose fastest task took less than this share of the median one is too varied to learn from. */
export const MIN_FASTEST_SHARE = 0.5;
/** Gaps once a task may finish: lag <= gap + the read's round trip, within 0.3 s + 5 % of the run time. */
export const LEARNED_GROWTH = 0.05;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * When a finished task most likely finished: in the middle of the last gap before it was seen,
 * but no more than half of the adaptive schedule's gap before that read (a long skipped stretch says little).
 */
function likelyFinishMs(task: FinishedTask): number {
	return task.doneAtMs - Math.min(task.doneAtMs - task.runningAtMs, adaptiveSchedule(task.doneAtMs)) / 2;
}

/** When the first read of a new task should come, or undefined when the history gives nothing to learn from. */
export function firstReadAtMs(history: RunHistory): number | undefined {
	if (history.finished.length === 0) return undefined;
	const fastest = Math.min(...history.finished.map(likelyFinishMs));
	if (fastest < median(history.finished.map((task) => task.doneAtMs)) * MIN_FASTEST_SHARE) return undefined;
	const stillRunning = Object.values(history.running).filter((ms) => ms >= fastest).length;
	return fastest * (1 - FIRST_READ_MARGIN / (history.finished.length + stillRunning + 1));
}

/** The schedule of one wait: the history is read afresh before every sleep, as other tasks finish. */
export function batchSchedule(history: RunHistory): PollSchedule {
	return (elapsedMs) => {
		const firstReadMs = firstReadAtMs(history);
		if (firstReadMs === undefined) return adaptiveSchedule(elapsedMs);
		return Math.max(growingGap(elapsedMs, LEARNED_GROWTH), firstReadMs - elapsedMs);
	};
}
