/**
 * Shared pacing in one process, beside each execution on its own (shared pacing off through the
 * node's test seam), on the same task times (seed 7) against the same simulator: a second execution
 * of a batch, which learns from the first, and single tasks whose progress advances evenly, jumps
 * or stalls.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { ProgressShape } from '../simulator/types';
import { detectionLags, latencyBoundMs, percentile } from '../support/taskTimes';
import type { SimulatorProcess } from './simulatorProcess';

export type Pacing = 'today' | 'shared';

/** Runs the node for `items` items of `size` px with these options. */
export type RunSized = (items: number, options: Record<string, unknown>, size: number) => Promise<{ wallMs: number; items: INodeExecutionData[] }>;

export interface PacingCase {
	name: string;
	items: number;
	parallel: number;
	meanMs: number;
	spread: number;
	progressShape: ProgressShape;
	pendingFraction: number;
	/** Measure the second execution, after one that teaches the process (shared pacing only). */
	second: boolean;
	repeats: number;
}

export interface PacingFigures {
	wallMs: number;
	readsPerTask: number;
	p50LagMs: number;
	p90LagMs: number;
	/** p90 lag over the bound of the median task (0.05 T + 0.3 s). */
	p90OfBound: number;
	overBound: number;
}

async function measure(sim: SimulatorProcess, run: RunSized, spec: PacingCase, pacing: Pacing, size: number): Promise<PacingFigures> {
	const options = { maxParallel: spec.parallel, downloadImage: true, sharedPacing: pacing === 'shared' };
	// Executions before the measured one teach the process (nothing, for today's pacing).
	if (spec.second && pacing === 'shared') {
		await sim.configure({ taskTimeSeed: 7 });
		await run(spec.items, options, size);
	}
	await sim.configure({ taskTimeSeed: 7 });
	await sim.reset();
	const { wallMs, items } = await run(spec.items, options, size);
	const tasks = await Promise.all(items.map((item) => sim.task(String(item.json.taskId))));
	const reads = (await sim.requests()).filter((request) => request.route === 'status');
	const lags = detectionLags(tasks, reads);
	const durations = tasks.map((task) => (task.finishedAt ?? 0) - task.createdAt);
	const p90LagMs = percentile(lags, 0.9);
	return {
		wallMs,
		readsPerTask: reads.length / items.length,
		p50LagMs: percentile(lags, 0.5),
		p90LagMs,
		p90OfBound: p90LagMs / latencyBoundMs(percentile(durations, 0.5)),
		overBound: lags.filter((lag, index) => lag > latencyBoundMs(durations[index])).length,
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Both pacings, alternating so drift in the machine's load hits both alike. Each repeat uses its
 * own output size: task times are learned per size, so every repeat starts from nothing.
 */
export async function comparePacing(sim: SimulatorProcess, run: RunSized, spec: PacingCase, firstSize: number): Promise<Record<Pacing, PacingFigures>> {
	await sim.configure({ taskDurationMs: spec.meanMs, taskTimeSpread: spec.spread, jitterMs: 0, progressShape: spec.progressShape, pendingFraction: spec.pendingFraction });
	const runs: Record<Pacing, PacingFigures[]> = { today: [], shared: [] };
	for (let i = 0; i < spec.repeats; i++) {
		for (const pacing of ['today', 'shared'] as const) runs[pacing].push(await measure(sim, run, spec, pacing, firstSize + 64 * i));
	}
	await sim.configure({ taskTimeSpread: 0, progressShape: 'linear', pendingFraction: 0.2 });
	const medianOf = (pacing: Pacing): PacingFigures => {
		const of = (key: keyof PacingFigures) => median(runs[pacing].map((figures) => figures[key]));
		return { wallMs: of('wallMs'), readsPerTask: of('readsPerTask'), p50LagMs: of('p50LagMs'), p90LagMs: of('p90LagMs'), p90OfBound: of('p90OfBound'), overBound: of('overBound') };
	};
	return { today: medianOf('today'), shared: medianOf('shared') };
}

export function pacingCases(quick: boolean, repeats: number): PacingCase[] {
	const batch = { items: 20, parallel: 5, spread: 0.2, pendingFraction: 0.2, second: true, repeats };
	const single = { items: 1, parallel: 1, spread: 0, pendingFraction: 0, second: false, repeats };
	const meanMs = quick ? 3000 : 10_000;
	return [
		{ name: `20 x ${meanMs / 1000} s +- 20 %, 2nd execution, no progress`, ...batch, meanMs, progressShape: 'none' },
		{ name: `20 x ${meanMs / 1000} s +- 20 %, 2nd execution, even progress`, ...batch, meanMs, progressShape: 'linear' },
		{ name: `1 x ${meanMs / 1000} s, even progress`, ...single, meanMs, progressShape: 'linear' },
		{ name: `1 x ${meanMs / 1000} s, progress jumps`, ...single, meanMs, progressShape: 'jumping' },
		{ name: `1 x ${meanMs / 1000} s, progress stalls`, ...single, meanMs, progressShape: 'stalling' },
	];
}
