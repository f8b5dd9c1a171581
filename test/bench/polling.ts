/**
 * The polling cases of the benchmark: batches of tasks whose times the simulator draws from a seeded
 * distribution, run once with today's adaptive schedule and once with the learning one, in the same
 * process against the same simulator, on the very same task times (the seed is reset before each).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { RunHistory } from '../../nodes/SparkPortrait/polling/batchSchedule';
import type { TaskOutcome } from '../simulator';
import { forgetfulHistory } from '../support/batchOnTimeline';
import { detectionLags, latencyBoundMs, percentile } from '../support/taskTimes';
import type { SimulatorProcess } from './simulatorProcess';

// The built module the node's router takes its run history from. Today's schedule is the learning
// one given a history that never keeps anything, so both run the same node code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const learning = require('../../dist/nodes/SparkPortrait/polling/batchSchedule.js') as { newRunHistory: () => RunHistory };
const learningHistory = learning.newRunHistory;

export type Schedule = 'today' | 'learned';

export interface PollingCase {
	name: string;
	items: number;
	parallel: number;
	meanMs: number;
	spread: number;
	/** Per-task durations by creation order (outliers); the rest are drawn. */
	outcomes?: TaskOutcome[];
	repeats: number;
}

export interface PollingFigures {
	wallMs: number;
	idealMs: number;
	readsPerTask: number;
	p50LagMs: number;
	p90LagMs: number;
	/** Tasks seen later than their own bound (5 % of their time + 0.3 s). */
	overBound: number;
}

/** Runs the node for `items` items with these options and returns its output items. */
export type RunItems = (items: number, options: Record<string, unknown>) => Promise<{ wallMs: number; items: INodeExecutionData[] }>;

/** The span with every task seen the instant it finished: the items' real times, dealt to the lanes in order. */
function idealSpan(durationsMs: number[], parallel: number): number {
	const lanes = new Array<number>(Math.min(parallel, durationsMs.length)).fill(0);
	for (const duration of durationsMs) {
		const free = lanes.indexOf(Math.min(...lanes));
		lanes[free] += duration;
	}
	return Math.max(...lanes);
}

async function runOnce(sim: SimulatorProcess, run: RunItems, spec: PollingCase, schedule: Schedule): Promise<PollingFigures> {
	await sim.configure({ taskDurationMs: spec.meanMs, taskTimeSpread: spec.spread, jitterMs: 0, taskTimeSeed: 7 });
	await sim.reset();
	if (spec.outcomes) await sim.queueOutcomes(spec.outcomes);
	learning.newRunHistory = schedule === 'today' ? forgetfulHistory : learningHistory;
	try {
		// Within one run only: the shared pacing has a table of its own (pacing.ts).
		const { wallMs, items } = await run(spec.items, { maxParallel: spec.parallel, downloadImage: true, sharedPacing: false });
		const ids = items.map((item) => String(item.json.taskId));
		const tasks = await Promise.all(ids.map((id) => sim.task(id)));
		const reads = (await sim.requests()).filter((request) => request.route === 'status');
		const lags = detectionLags(tasks, reads);
		const durations = tasks.map((task) => (task.finishedAt ?? 0) - task.createdAt);
		return {
			wallMs,
			idealMs: idealSpan(durations, spec.parallel),
			readsPerTask: reads.length / items.length,
			p50LagMs: percentile(lags, 0.5),
			p90LagMs: percentile(lags, 0.9),
			overBound: lags.filter((lag, index) => lag > latencyBoundMs(durations[index])).length,
		};
	} finally {
		learning.newRunHistory = learningHistory;
	}
}

function medianOf(runs: PollingFigures[], key: keyof PollingFigures): number {
	const sorted = runs.map((figures) => figures[key]).sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Both schedules, alternating so that drift in the machine's load hits both alike; medians per schedule. */
export async function comparePolling(sim: SimulatorProcess, run: RunItems, spec: PollingCase): Promise<Record<Schedule, PollingFigures>> {
	const runs: Record<Schedule, PollingFigures[]> = { today: [], learned: [] };
	for (let i = 0; i < spec.repeats; i++) {
		for (const schedule of ['today', 'learned'] as const) runs[schedule].push(await runOnce(sim, run, spec, schedule));
	}
	await sim.configure({ taskTimeSpread: 0 });
	const median = (schedule: Schedule): PollingFigures => ({
		wallMs: medianOf(runs[schedule], 'wallMs'),
		idealMs: medianOf(runs[schedule], 'idealMs'),
		readsPerTask: medianOf(runs[schedule], 'readsPerTask'),
		p50LagMs: medianOf(runs[schedule], 'p50LagMs'),
		p90LagMs: medianOf(runs[schedule], 'p90LagMs'),
		overBound: medianOf(runs[schedule], 'overBound'),
	});
	return { today: median('today'), learned: median('learned') };
}

export function pollingCases(quick: boolean, repeats: number): PollingCase[] {
	const batch = { items: 20, parallel: 5, spread: 0.2 };
	if (quick) {
		return [
			{ name: '20 x 2 s +- 20 %', ...batch, meanMs: 2000, repeats: 1 },
			{ name: '1 x 2 s, no history', items: 1, parallel: 5, meanMs: 2000, spread: 0, repeats: 1 },
		];
	}
	// Item 7 is created eighth: the parallel lanes start their items in order.
	const slowOutlier: TaskOutcome[] = Array.from({ length: 8 }, (_, index) => (index === 7 ? { kind: 'complete', durationMs: 15_000 } : { kind: 'complete' }));
	return [
		{ name: '20 x 10 s +- 20 %', ...batch, meanMs: 10_000, repeats: Math.min(repeats, 2) },
		{ name: '20 x 30 s +- 20 %', ...batch, meanMs: 30_000, repeats: 1 },
		{ name: '1 x 10 s, no history', items: 1, parallel: 5, meanMs: 10_000, spread: 0, repeats: Math.min(repeats, 2) },
		{ name: '20 x 5 s +- 20 %, one 15 s', ...batch, meanMs: 5000, outcomes: slowOutlier, repeats: 1 },
		{ name: '20 x 5 s +- 90 %', ...batch, meanMs: 5000, spread: 0.9, repeats: 1 },
	];
}
