/**
 * Task times of whole runs, recorded from the simulator (`taskTimeSeed: 7`, `taskTimeSpread: 0.2`), so
 * the schedule's unit tests see the very batches the benchmark runs over HTTP.
 */

/** 20 items x 10 s +- 20 %. */
export const TEN_SECONDS = [8047, 8248, 11908, 10796, 10086, 9622, 9865, 8960, 10213, 10919, 9031, 8624, 11056, 10074, 8789, 9472, 9173, 10139, 9185, 11912];

/** 20 items x 30 s +- 20 %. */
export const THIRTY_SECONDS = [24140, 24743, 35723, 32388, 30257, 28866, 29595, 26879, 30640, 32758, 27094, 25871, 33169, 30221, 26366, 28416, 27519, 30417, 27556, 35735];

/** The 10 s batch with item 7 three times slower than its siblings. */
export const SLOW_OUTLIER = TEN_SECONDS.map((ms, index) => (index === 7 ? 30_000 : ms));

/** The 10 s batch with item 7 three times faster. */
export const FAST_OUTLIER = TEN_SECONDS.map((ms, index) => (index === 7 ? 3300 : ms));

/** Every task different: 1 s to 60 s, spread evenly on a log scale, in a shuffled order. */
export const WILD = [4300, 41_000, 1000, 12_000, 60_000, 2100, 25_000, 7000, 1500, 35_000, 3000, 18_000, 50_000, 5200, 1200, 9000, 30_000, 2600, 15_000, 21_000];

/** The latency bound of a task: 5 % of its time + 0.3 s. */
export function latencyBoundMs(taskMs: number): number {
	return 0.05 * taskMs + 300;
}

export function mean(values: number[]): number {
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], share: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Each task's detection lag: from its end at the API to the status read that saw it, which is the
 * node's last read of the task (it stops reading at the first terminal answer). A read that arrived
 * just before the simulator's picture settled can still answer "completed" (the status is computed
 * after arrival): its lag counts as 0, not as a read that never saw the end.
 */
export function detectionLags(tasks: Array<{ id: string; finishedAt?: number }>, reads: Array<{ taskId?: string; at: number }>): number[] {
	return tasks.map((task) => {
		const own = reads.filter((request) => request.taskId === task.id);
		const seen = own[own.length - 1];
		if (!seen || task.finishedAt === undefined) throw new Error(`no read saw task ${task.id} finish`);
		return Math.max(0, seen.at - task.finishedAt);
	});
}
