/**
 * Progress as a polling hint: the finish range it gives, and the reads and detection lags of one
 * task on the fake clock for each progress shape the simulator has (same shapes, same rounding).
 */
import type { SparkTask } from '../../nodes/SparkPortrait/api/types';
import { newRunHistory } from '../../nodes/SparkPortrait/polling/batchSchedule';
import { finishRange, progressReadAtMs } from '../../nodes/SparkPortrait/polling/progressEstimate';
import { waitForTask } from '../../nodes/SparkPortrait/polling/waitForTask';
import { progressShare } from '../simulator/progressShapes';
import type { ProgressShape } from '../simulator/types';
import { FakeClock } from '../support/fakeClock';
import { latencyBoundMs } from '../support/taskTimes';

describe('finishRange', () => {
	it('narrows with every reading of even progress, to two decimals', () => {
		expect(finishRange([{ atMs: 1000, progress: 0.1 }])).toEqual({ earliestMs: 1000 / 0.11, latestMs: 10_000 });
		const range = finishRange([{ atMs: 1000, progress: 0.1 }, { atMs: 5000, progress: 0.5 }]);
		expect(range?.earliestMs).toBeCloseTo(5000 / 0.51, 6);
		expect(range?.latestMs).toBe(10_000);
	});

	it('says nothing before progress moves, and gives up on progress that contradicts itself', () => {
		expect(finishRange([{ atMs: 0, progress: 0 }])).toEqual({ earliestMs: 0, latestMs: Infinity });
		// Stalled: 0.3 at 3 s and still 0.3 at 6 s cannot both be even progress.
		expect(finishRange([{ atMs: 3000, progress: 0.3 }, { atMs: 6000, progress: 0.3 }])).toBeUndefined();
	});

	it('names the next read only once the range fits the latency bound', () => {
		expect(progressReadAtMs([{ atMs: 250, progress: 0.02 }], 250)).toBeUndefined();
		const at = progressReadAtMs([{ atMs: 2000, progress: 0.2 }, { atMs: 5000, progress: 0.5 }], 5000);
		expect(at).toBeGreaterThan(10_000);
		expect(at).toBeLessThanOrEqual(10_050);
	});
});

/** One task of `durationMs` whose reads report `shape` progress (two decimals), waited for on the fake clock. */
async function waitWithProgress(durationMs: number, shape: ProgressShape, progressHints: boolean) {
	const clock = new FakeClock();
	let reads = 0;
	let lagMs = NaN;
	const client = {
		// A loopback round trip: 2 ms there, 2 ms back.
		readTask: async (taskId: string) => {
			await clock.sleep(2);
			reads++;
			const done = clock.now() >= durationMs;
			if (done && Number.isNaN(lagMs)) lagMs = clock.now() - durationMs;
			const share = progressShare(shape, clock.now() / durationMs);
			await clock.sleep(2);
			const task: SparkTask = { taskId, status: done ? 'completed' : 'processing', rawStatus: '', images: [] };
			if (!done && share !== undefined) task.progress = Math.min(0.99, Math.floor(share * 100) / 100);
			return { task };
		},
	};
	const settings = { timeoutMs: 3_600_000, onTimeout: 'error' as const, resubmits: 0 };
	const created: SparkTask = { taskId: 't', status: 'processing', rawStatus: '', images: [], progress: 0 };
	await waitForTask({ client, clock, history: newRunHistory(), progressHints }, created, settings);
	return { reads, lagMs };
}

describe('one task read by its progress', () => {
	it('a 10 s task with even progress: 6 reads instead of 24, seen within the bound', async () => {
		const today = await waitWithProgress(10_000, 'linear', false);
		const hinted = await waitWithProgress(10_000, 'linear', true);
		expect(today.reads).toBe(24);
		expect(hinted.reads).toBeLessThanOrEqual(6);
		expect(hinted.lagMs).toBeLessThanOrEqual(latencyBoundMs(10_000));
	});

	it.each([
		['jumping', 3000],
		['jumping', 10_000],
		['jumping', 30_000],
		['stalling', 3000],
		['stalling', 10_000],
		['stalling', 30_000],
		['linear', 30_000],
		['none', 10_000],
	] as const)('%s progress, %i ms: seen within the bound, never with more reads than today', async (shape, durationMs) => {
		const today = await waitWithProgress(durationMs, shape, false);
		const hinted = await waitWithProgress(durationMs, shape, true);
		expect(hinted.lagMs).toBeLessThanOrEqual(latencyBoundMs(durationMs));
		expect(hinted.reads).toBeLessThanOrEqual(today.reads);
	});
});
