import {
	batchSchedule,
	firstReadAtMs,
	newRunHistory,
	type RunHistory,
} from '../../nodes/SparkPortrait/polling/batchSchedule';
import { adaptiveSchedule } from '../../nodes/SparkPortrait/polling/poller';
import { waitForTask } from '../../nodes/SparkPortrait/polling/waitForTask';
import type { SparkTask } from '../../nodes/SparkPortrait/api/types';
import { batchOnTimeline, forgetfulHistory, type BatchOutcome } from '../support/batchOnTimeline';
import { FakeClock } from '../support/fakeClock';
import {
	FAST_OUTLIER,
	latencyBoundMs,
	mean,
	percentile,
	SLOW_OUTLIER,
	TEN_SECONDS,
	THIRTY_SECONDS,
	WILD,
} from '../support/taskTimes';
import { CancelledError } from '../../nodes/SparkPortrait/errors/failures';

/** Finished tasks seen precisely (read 300 ms apart around their end), as the first ones of a run are. */
function historyOf(taskTimesMs: number[], running: Record<string, number> = {}): RunHistory {
	return { finished: taskTimesMs.map((ms) => ({ runningAtMs: ms - 300, doneAtMs: ms })), running };
}

describe('batchSchedule', () => {
	// Today's adaptive schedule: 250 ms plus 4.5 % of the time waited, at most 15 s.
	it.each([[0, 250], [250, 261.25], [5000, 475], [60_000, 2950], [3_600_000, 15_000]])(
		'is today\'s adaptive schedule while no task of the run has finished (%s ms waited: %s ms)',
		(elapsedMs, gapMs) => {
			expect(batchSchedule(newRunHistory())(elapsedMs)).toBeCloseTo(gapMs, 6);
		},
	);

	it('waits for the first read until shortly before the fastest finished task ended', () => {
		// One 10 s task, seen done 300 ms after a read that saw it running: it ended about 9.85 s in.
		// With one task known, the first read comes a quarter of that earlier: 9850 x 0.75.
		const history = historyOf([10_000]);
		expect(firstReadAtMs(history)).toBeCloseTo(7387.5, 6);
		expect(batchSchedule(history)(0)).toBeCloseTo(7387.5, 6);
	});

	it('narrows the margin as tasks finish, and counts tasks still running past the fastest', () => {
		const one = firstReadAtMs(historyOf([10_000])) ?? 0;
		const five = firstReadAtMs(historyOf([10_000, 10_500, 11_000, 11_500, 12_000])) ?? 0;
		const oneWithFourRunning = firstReadAtMs(historyOf([10_000], { a: 10_000, b: 10_200, c: 11_000, d: 12_000 })) ?? 0;
		expect(one).toBeLessThan(five);
		expect(five).toBeLessThan(9850);
		expect(oneWithFourRunning).toBeCloseTo(five, 6);
		// A task that has not yet run as long as the fastest says nothing about the margin.
		expect(firstReadAtMs(historyOf([10_000], { early: 2000 }))).toBeCloseTo(one, 6);
	});

	it('reads within the latency bound once a task may finish, capped like today', () => {
		const history = historyOf([10_000, 10_000, 10_000]);
		const firstRead = firstReadAtMs(history) ?? 0;
		for (const elapsedMs of [firstRead, 12_000, 20_000, 60_000]) {
			const gap = batchSchedule(history)(elapsedMs);
			expect(gap).toBeGreaterThanOrEqual(adaptiveSchedule(elapsedMs));
			// Leaves 50 ms for the read's round trip.
			expect(gap + 50).toBeLessThanOrEqual(latencyBoundMs(elapsedMs));
		}
		expect(batchSchedule(history)(3_600_000)).toBe(15_000);
	});

	it('does not trust a task seen only after a long skipped stretch to have ended at that read', () => {
		// Seen done at the first read, 9 s in: it may have ended at any time before, at the latest
		// about half of today's gap at 9 s (655 ms) before that read.
		const skipped = { finished: [{ runningAtMs: 0, doneAtMs: 9000 }], running: {} };
		expect(firstReadAtMs(skipped)).toBeLessThan(9000 - 655 / 2 + 1);
	});

	it('goes back to today\'s schedule when the run varies wildly', () => {
		const history = historyOf([2000, 10_000, 11_000]);
		expect(firstReadAtMs(history)).toBeUndefined();
		expect(batchSchedule(history)(0)).toBe(250);
	});

	it('is a pure function of what it is given', () => {
		const history = historyOf([9000, 10_000], { a: 9500 });
		const copy = JSON.parse(JSON.stringify(history)) as RunHistory;
		expect(batchSchedule(history)(1234)).toBe(batchSchedule(copy)(1234));
		expect(history).toStrictEqual(copy);
	});
});

function task(status: SparkTask['status']): SparkTask {
	return { taskId: 'task_1', status, rawStatus: status, images: [] };
}

describe('waitForTask keeps the run history', () => {
	const settings = { timeoutMs: 60_000, onTimeout: 'error' as const, resubmits: 0 };

	it('records when a completed task was last seen running and when it was seen done', async () => {
		const clock = new FakeClock();
		const history = newRunHistory();
		const statuses: SparkTask['status'][] = ['processing', 'processing', 'completed'];
		const seenRunning: Array<Record<string, number>> = [];
		const client = {
			readTask: async () => {
				seenRunning.push({ ...history.running });
				return { task: task(statuses.shift() ?? 'completed') };
			},
		};
		await waitForTask({ client, clock, history }, task('pending'), settings);
		// Today's gaps after 0, 250 and 511.25 ms: 250 ms + 4.5 % of the time waited.
		expect(clock.sleeps).toHaveLength(3);
		[250, 261.25, 273.00625].forEach((gapMs, index) => expect(clock.sleeps[index]).toBeCloseTo(gapMs, 6));
		expect(seenRunning).toStrictEqual([{}, { task_1: 250 }, { task_1: 511.25 }]);
		expect(history).toStrictEqual({ finished: [{ runningAtMs: 511.25, doneAtMs: clock.time }], running: {} });
	});

	it('learns nothing from a failure, and forgets a cancelled wait', async () => {
		const history = newRunHistory();
		const failed = { readTask: async () => ({ task: task('failed') }) };
		await waitForTask({ client: failed, clock: new FakeClock(), history }, task('pending'), settings);
		expect(history.finished).toHaveLength(0);

		const controller = new AbortController();
		const cancelled = {
			readTask: async () => {
				controller.abort();
				return { task: task('processing') };
			},
		};
		const wait = waitForTask({ client: cancelled, clock: new FakeClock(), history, signal: controller.signal }, task('pending'), settings);
		await expect(wait).rejects.toBeInstanceOf(CancelledError);
		expect(history).toStrictEqual(newRunHistory());
	});

	it('keeps to the user\'s Poll Interval whatever the history says', async () => {
		const clock = new FakeClock();
		let reads = 0;
		const client = { readTask: async () => ({ task: task(++reads >= 3 ? 'completed' : 'processing') }) };
		await waitForTask({ client, clock, history: historyOf([60_000]) }, task('pending'), { ...settings, pollIntervalMs: 2000 });
		expect(clock.sleeps).toStrictEqual([2000, 2000, 2000]);
	});
});

interface Compared {
	learned: BatchOutcome;
	today: BatchOutcome;
}

async function compare(durationsMs: number[], parallel = 5): Promise<Compared> {
	return {
		learned: await batchOnTimeline({ durationsMs, parallel }),
		today: await batchOnTimeline({ durationsMs, parallel, history: forgetfulHistory() }),
	};
}

describe('a run of recorded task times, on a timeline clock', () => {
	it('20 x 10 s +- 20 % at 5 parallel: at most 12 reads a task, half of today\'s, same lag bound and span', async () => {
		const { learned, today } = await compare(TEN_SECONDS);
		expect(mean(learned.reads)).toBeLessThanOrEqual(12);
		expect(mean(learned.reads)).toBeLessThanOrEqual(mean(today.reads) / 2);
		expect(percentile(learned.lagsMs, 0.9)).toBeLessThanOrEqual(latencyBoundMs(10_000));
		expect(learned.spanMs).toBeLessThanOrEqual(today.spanMs * 1.02);
	});

	it('20 x 30 s +- 20 %: at most 15 reads a task within the same bound', async () => {
		const { learned, today } = await compare(THIRTY_SECONDS);
		expect(mean(learned.reads)).toBeLessThanOrEqual(15);
		expect(percentile(learned.lagsMs, 0.9)).toBeLessThanOrEqual(latencyBoundMs(30_000));
		expect(learned.spanMs).toBeLessThanOrEqual(today.spanMs * 1.02);
	});

	it('one task with no history is polled exactly as today', async () => {
		for (const taskMs of [2000, 10_000, 60_000]) {
			const { learned, today } = await compare([taskMs], 1);
			expect(learned.reads).toStrictEqual(today.reads);
			expect(learned.lagsMs).toStrictEqual(today.lagsMs);
			expect(learned.lagsMs[0]).toBeLessThanOrEqual(latencyBoundMs(taskMs));
		}
	});

	it('sees a task three times slower than its siblings within its own bound', async () => {
		const { learned } = await compare(SLOW_OUTLIER);
		expect(learned.lagsMs[7]).toBeLessThanOrEqual(latencyBoundMs(30_000));
		expect(mean(learned.reads)).toBeLessThanOrEqual(12);
	});

	it('sees a task three times faster than its siblings at its first read, before the fastest sibling ended', async () => {
		const { learned } = await compare(FAST_OUTLIER);
		expect(learned.reads[7]).toBe(1);
		expect(learned.lagsMs[7] + FAST_OUTLIER[7]).toBeLessThan(Math.min(...TEN_SECONDS));
	});

	it('degrades to today\'s schedule when every task differs wildly, never worse', async () => {
		const { learned, today } = await compare(WILD);
		WILD.forEach((taskMs, index) => expect(learned.lagsMs[index]).toBeLessThanOrEqual(latencyBoundMs(taskMs)));
		expect(Math.abs(mean(learned.reads) - mean(today.reads))).toBeLessThanOrEqual(1);
		expect(learned.spanMs).toBeLessThanOrEqual(today.spanMs * 1.01);
	});
});
