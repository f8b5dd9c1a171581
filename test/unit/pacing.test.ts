/**
 * Task times learned across executions: kept per API origin, model, output size and mode,
 * bounded, forgotten when idle; a second execution of the same batch starts reading just before
 * the learned finish time, on the very task times the benchmark runs (test/support/taskTimes.ts).
 */
import type { CreateTaskBody } from '../../nodes/SparkPortrait/api/types';
import { firstReadAtMs } from '../../nodes/SparkPortrait/polling/batchSchedule';
import { FORGET_AFTER_MS, MAX_KINDS, runPacing, sharedPacing } from '../../nodes/SparkPortrait/polling/pacing';
import { MAX_FINISHED } from '../../nodes/SparkPortrait/polling/waitForTask';
import { batchOnTimeline } from '../support/batchOnTimeline';
import { FakeClock } from '../support/fakeClock';
import { latencyBoundMs, mean, percentile, TEN_SECONDS } from '../support/taskTimes';

const ORIGIN = 'https://cloud.vtrix.ai';
const body = (overrides: Partial<CreateTaskBody> = {}): CreateTaskBody => ({
	model: 'spark_edit_portrait',
	image_input: 'https://example.com/a.jpg',
	prompt: 'smile',
	width: 1024,
	height: 1024,
	gpen: 0.5,
	skin: 0.5,
	skin_unifi: 0.5,
	seed: '1',
	...overrides,
});

describe('sharedPacing', () => {
	it('one history per origin, model, size and mode, whatever the image or prompt', () => {
		const clock = new FakeClock();
		const history = sharedPacing(ORIGIN, clock).historyFor(body());
		expect(sharedPacing(ORIGIN, clock).historyFor(body({ image_input: 'https://example.com/b.jpg', prompt: 'frown', seed: '9' }))).toBe(history);
		expect(sharedPacing(ORIGIN, clock).historyFor(body({ width: 512 }))).not.toBe(history);
		expect(sharedPacing(ORIGIN, clock).historyFor(body({ gen_mode: 'reference_char' }))).not.toBe(history);
		expect(sharedPacing(ORIGIN, clock).historyFor(body({ model: 'spark_other' }))).not.toBe(history);
		expect(sharedPacing('http://127.0.0.1:8787', clock).historyFor(body())).not.toBe(history);
		expect(sharedPacing(ORIGIN, new FakeClock()).historyFor(body())).not.toBe(history);
	});

	it('forgets a kind of task left idle, and keeps a bounded number of kinds', async () => {
		const clock = new FakeClock();
		const pacing = sharedPacing(ORIGIN, clock);
		const history = pacing.historyFor(body());
		history.finished.push({ runningAtMs: 9000, doneAtMs: 10_000 });
		await clock.sleep(FORGET_AFTER_MS + 1);
		expect(pacing.historyFor(body()).finished).toEqual([]);

		const first = pacing.historyFor(body({ width: 100 }));
		for (let width = 101; width < 101 + MAX_KINDS; width++) pacing.historyFor(body({ width }));
		expect(pacing.historyFor(body({ width: 100 }))).not.toBe(first);
	});

	it('run pacing keeps one history for the run only, and reads no progress', () => {
		const pacing = runPacing();
		expect(pacing.historyFor(body({ width: 512 }))).toBe(pacing.historyFor(body()));
		expect(pacing.progressHints).toBe(false);
		expect(runPacing().historyFor(body())).not.toBe(pacing.historyFor(body()));
	});
});

describe('a second execution of 20 x 10 s +- 20 % learns from the first', () => {
	it('first reads just before the learned finish, fewer reads, every task within its bound', async () => {
		const clock = new FakeClock();
		const history = sharedPacing(ORIGIN, clock).historyFor(body());
		const first = await batchOnTimeline({ durationsMs: TEN_SECONDS, parallel: 5, history });
		const firstRead = firstReadAtMs(history) ?? 0;
		expect(firstRead).toBeGreaterThan(0.95 * Math.min(...TEN_SECONDS) - 500);
		expect(firstRead).toBeLessThan(Math.min(...TEN_SECONDS));
		const second = await batchOnTimeline({ durationsMs: TEN_SECONDS, parallel: 5, history });
		expect(mean(second.reads)).toBeLessThan(4.5);
		expect(mean(second.reads)).toBeLessThan(mean(first.reads) / 2);
		second.lagsMs.forEach((lag, index) => expect(lag).toBeLessThanOrEqual(latencyBoundMs(TEN_SECONDS[index])));
		expect(percentile(second.lagsMs, 0.9)).toBeLessThanOrEqual(latencyBoundMs(mean(TEN_SECONDS)));
		expect(history.finished.length).toBeLessThanOrEqual(MAX_FINISHED);
	});
});
