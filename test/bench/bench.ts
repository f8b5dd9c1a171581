/**
 * `npm run bench`: how fast Spark Portrait runs tasks, measured in-process through the same
 * n8n-core harness as the integration tests, against the simulator on loopback.
 * Prints medians of repeated runs; `--quick` for a short smoke run; `--cold` for a rate limit met
 * from a cold start (coldStart.ts, fresh processes).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

import type { INodeParameters } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { configureHarness, runNode, type BinaryDataMode } from '../harness';
import { latencyBoundMs } from '../support/taskTimes';
import { comparePacing, pacingCases, type RunSized } from './pacing';
import { comparePolling, pollingCases, type RunItems } from './polling';
import { startSimulatorProcess, type SimulatorProcess } from './simulatorProcess';

// The built node: under ts-node, 'SparkPortrait.node' would resolve to the codex JSON beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SparkPortrait } = require('../../dist/nodes/SparkPortrait/SparkPortrait.node.js') as typeof import('../../nodes/SparkPortrait/SparkPortrait.node');

const API_KEY = 'bench-key';
const quick = process.argv.includes('--quick');
const pollingOnly = process.argv.includes('--polling');
const pacingOnly = process.argv.includes('--pacing');
const repeats = Number(process.env.BENCH_REPEATS ?? (quick ? 1 : 3));

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function editPortraits(sim: SimulatorProcess, items: number, options: INodeParameters = {}, size = 1328) {
	// Shared pacing is no option of the node: the benchmark turns it off through the node's test seam.
	const { sharedPacing, ...nodeOptions } = options;
	const started = performance.now();
	const result = await runNode({
		nodeType: new SparkPortrait({ sharedPacing: sharedPacing !== false }),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: { apiKey: API_KEY, baseUrl: sim.url } },
		parameters: { operation: 'createAndWait', imageUrl: `${sim.url}/fixtures/portrait.jpg`, width: size, height: size, options: nodeOptions },
		inputItems: Array.from({ length: items }, () => ({})),
	});
	const wallMs = performance.now() - started;
	if (result.error) throw result.error;
	if (result.items.length !== items || result.items.some((item) => item.json.status !== 'completed')) {
		throw new Error('not every item completed');
	}
	return { wallMs, result };
}

async function latencyCase(sim: SimulatorProcess, taskMs: number, runs: number, pollInterval = 0) {
	await sim.configure({ taskDurationMs: taskMs, jitterMs: 0 });
	const walls: number[] = [];
	const reads: number[] = [];
	for (let i = 0; i < runs; i++) {
		await sim.reset();
		// Each run on its own, as the figures before shared pacing (the pacing table has the rest).
		walls.push((await editPortraits(sim, 1, { pollInterval, downloadImage: true, sharedPacing: false })).wallMs);
		reads.push(await sim.countRequests('status'));
	}
	return { wallMs: median(walls), reads: median(reads) };
}

async function batchCase(sim: SimulatorProcess, maxParallel: number, runs: number, items: number, taskMs: number) {
	await sim.configure({ taskDurationMs: taskMs, jitterMs: 0 });
	const walls: number[] = [];
	for (let i = 0; i < runs; i++) {
		await sim.reset();
		walls.push((await editPortraits(sim, items, { maxParallel, downloadImage: true, sharedPacing: false })).wallMs);
	}
	return median(walls);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function printTable(title: string, header: string[], rows: string[][]): void {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
	console.log(`\n${title}\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const row of rows) console.log(line(row));
}

interface MemoryFigures {
	mode: string;
	imageBytes: number;
	withoutImages: number;
	withImages: number;
	rssWithImages: number;
}

/** Peak growth of heap + external memory (where Buffers live) and of RSS while `work` runs, over a collected baseline. */
async function measurePeak<T>(work: () => Promise<T>): Promise<{ value: T; peak: number; peakRss: number; wallMs: number }> {
	global.gc?.();
	const base = process.memoryUsage();
	const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
	let peak = 0;
	let peakRss = 0;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peak = Math.max(peak, used(now) - used(base));
		peakRss = Math.max(peakRss, now.rss - base.rss);
	}, 5);
	const started = performance.now();
	try {
		const value = await work();
		return { value, peak, peakRss, wallMs: performance.now() - started };
	} finally {
		clearInterval(sampler);
	}
}

/**
 * Peak growth during one 20-item run. The same run with Download Image off is the baseline of what
 * n8n's own machinery costs; the difference is what the images cost.
 */
async function peakGrowth(sim: SimulatorProcess, items: number, download: boolean) {
	const { value, peak, peakRss } = await measurePeak(() => editPortraits(sim, items, { maxParallel: 10, downloadImage: download }, 2048));
	const imageBytes = value.result.items.reduce((sum, item) => sum + Number((item.json.images as Array<{ size?: number }>)[0]?.size ?? 0), 0);
	return { peak, peakRss, imageBytes };
}

/** Memory runs in a fresh process (`--memory <mode>`), so the baseline is clean. */
async function memoryRun(mode: BinaryDataMode, items: number, taskMs: number): Promise<void> {
	await configureHarness({ binaryDataMode: mode });
	const sim = await startSimulatorProcess(API_KEY);
	try {
		await sim.configure({ taskDurationMs: 300 });
		await editPortraits(sim, 2, { maxParallel: 2 }); // warm-up: load code, JIT, first allocations
		await sim.configure({ taskDurationMs: taskMs });
		const without: number[] = [];
		const withImages: number[] = [];
		const rss: number[] = [];
		let imageBytes = 0;
		for (let i = 0; i < repeats; i++) {
			without.push((await peakGrowth(sim, items, false)).peak);
			const run = await peakGrowth(sim, items, true);
			withImages.push(run.peak);
			rss.push(run.peakRss);
			imageBytes = run.imageBytes;
		}
		const figures: MemoryFigures = { mode, imageBytes, withoutImages: median(without), withImages: median(withImages), rssWithImages: median(rss) };
		console.log(JSON.stringify(figures));
	} finally {
		await sim.stop();
	}
}

/** Runs this script again in a fresh process with `args`; its last stdout line is the JSON result. */
function inFreshProcess<T>(args: string[]): T {
	const child = spawnSync(
		process.execPath,
		// A 1 MiB young generation keeps short-lived garbage from hiding what is really held.
		['--expose-gc', '--max-semi-space-size=1', '-r', 'ts-node/register/transpile-only', __filename, ...args],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_REPEATS: String(repeats) } },
	);
	const line = child.stdout.trim().split('\n').pop() ?? '';
	return JSON.parse(line) as T;
}

function measureMemory(mode: BinaryDataMode, items: number, taskMs: number): MemoryFigures {
	return inFreshProcess<MemoryFigures>(['--memory', mode, String(items), String(taskMs)]);
}

const HUGE_INPUT_BYTES = 1024 ** 3;
const HUGE_INPUT_ITEMS = 50;

interface HugeInputFigures {
	variant: string;
	peak: number;
	peakRss: number;
	wallMs: number;
}

/**
 * Check Image First on a 1 GB Image URL for 50 items at Max Parallel Tasks 50 (Create Task,
 * Continue On Fail, so every item fetches): peak growth of heap + external and of RSS.
 */
async function hugeInputRun(variant: 'content-length' | 'chunked'): Promise<void> {
	await configureHarness({ binaryDataMode: 'default' });
	const sim = await startSimulatorProcess(API_KEY);
	const fixture = variant === 'chunked' ? 'endless-chunked' : 'endless';
	const run = (imageUrl: string, items: number) =>
		runNode({
			nodeType: new SparkPortrait(),
			credentialTypes: [new SparkPortraitVtrixApi()],
			credentials: { sparkPortraitVtrixApi: { apiKey: API_KEY, baseUrl: sim.url } },
			parameters: { operation: 'create', imageUrl, options: { checkImage: true, maxParallel: HUGE_INPUT_ITEMS } },
			inputItems: Array.from({ length: items }, () => ({})),
			continueOnFail: true,
		});
	try {
		await run(`${sim.url}/fixtures/portrait.jpg`, 2); // warm-up
		const peaks: number[] = [];
		const rss: number[] = [];
		const walls: number[] = [];
		for (let i = 0; i < repeats; i++) {
			const { value: result, peak, peakRss, wallMs } = await measurePeak(() => run(`${sim.url}/fixtures/${fixture}/${HUGE_INPUT_BYTES}.jpg`, HUGE_INPUT_ITEMS));
			const refused = result.items.filter((item) => String(item.json.error).includes('the API accepts at most 5 MB')).length;
			if (refused !== HUGE_INPUT_ITEMS) throw new Error(`only ${refused} of ${HUGE_INPUT_ITEMS} items were refused for size`);
			peaks.push(peak);
			rss.push(peakRss);
			walls.push(wallMs);
		}
		const figures: HugeInputFigures = { variant, peak: median(peaks), peakRss: median(rss), wallMs: median(walls) };
		console.log(JSON.stringify(figures));
	} finally {
		await sim.stop();
	}
}

async function pollingTable(sim: SimulatorProcess): Promise<void> {
	const run: RunItems = async (items, options) => {
		const { wallMs, result } = await editPortraits(sim, items, options as INodeParameters, 512);
		return { wallMs, items: result.items };
	};
	const rows: string[][] = [];
	for (const spec of pollingCases(quick, repeats)) {
		const figures = await comparePolling(sim, run, spec);
		for (const schedule of ['today', 'learned'] as const) {
			const own = figures[schedule];
			rows.push([
				schedule === 'today' ? spec.name : '',
				schedule === 'today' ? 'today (adaptive)' : 'learning from the run',
				String(spec.repeats),
				seconds(own.wallMs),
				seconds(own.idealMs),
				own.readsPerTask.toFixed(1),
				schedule === 'today' ? '' : `${((own.readsPerTask / figures.today.readsPerTask) * 100).toFixed(0)} %`,
				seconds(own.p50LagMs),
				seconds(own.p90LagMs),
				`${((own.p90LagMs / latencyBoundMs(spec.meanMs)) * 100).toFixed(0)} %`,
				String(own.overBound),
			]);
		}
	}
	printTable(
		'Polling a batch at Max Parallel Tasks 5: today\'s schedule beside the learning one, same task times (seed 7), same run; medians',
		['case', 'schedule', 'runs', 'wall', 'ideal', 'reads / task', 'vs today', 'p50 lag', 'p90 lag', 'p90 / (0.05 x T + 0.3 s)', 'tasks over own bound'],
		rows,
	);
}

async function pacingTable(sim: SimulatorProcess): Promise<void> {
	const run: RunSized = async (items, options, size) => {
		const { wallMs, result } = await editPortraits(sim, items, options as INodeParameters, size);
		return { wallMs, items: result.items };
	};
	const rows: string[][] = [];
	let size = 512;
	for (const spec of pacingCases(quick, repeats)) {
		const figures = await comparePacing(sim, run, spec, size);
		size += 64 * spec.repeats;
		for (const pacing of ['today', 'shared'] as const) {
			const own = figures[pacing];
			rows.push([
				pacing === 'today' ? spec.name : '',
				pacing === 'today' ? 'each run alone (today)' : 'shared pacing',
				String(spec.repeats),
				seconds(own.wallMs),
				own.readsPerTask.toFixed(1),
				pacing === 'today' ? '' : `${((own.readsPerTask / figures.today.readsPerTask) * 100).toFixed(0)} %`,
				seconds(own.p50LagMs),
				seconds(own.p90LagMs),
				`${(own.p90OfBound * 100).toFixed(0)} %`,
				String(own.overBound),
			]);
		}
	}
	printTable(
		'Shared pacing: off (each execution on its own, through the test seam) beside on, same task times (seed 7), same run; medians',
		['case', 'pacing', 'runs', 'wall', 'reads / task', 'vs today', 'p50 lag', 'p90 lag', 'p90 / (0.05 x T + 0.3 s)', 'tasks over own bound'],
		rows,
	);
}

async function main(): Promise<void> {
	const hugeIndex = process.argv.indexOf('--huge-input');
	if (hugeIndex > 0) return await hugeInputRun(process.argv[hugeIndex + 1] as 'content-length' | 'chunked');
	const memoryIndex = process.argv.indexOf('--memory');
	if (memoryIndex > 0) {
		const [mode, items, taskMs] = process.argv.slice(memoryIndex + 1);
		return await memoryRun(mode as BinaryDataMode, Number(items), Number(taskMs));
	}
	if (process.argv.includes('--hostile')) return hostileBodies();
	if (process.argv.includes('--cold')) {
		spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `${__dirname}/coldStart.ts`], { stdio: ['ignore', 'inherit', 'inherit'] });
		return;
	}
	console.log(`Spark Portrait benchmark: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${mib(os.totalmem())}, Node ${process.version}; medians of ${repeats} run(s)`);
	await configureHarness({ binaryDataMode: 'default' });
	const sim = await startSimulatorProcess(API_KEY);
	if (pollingOnly || pacingOnly) {
		try {
			return await (pacingOnly ? pacingTable(sim) : pollingTable(sim));
		} finally {
			await sim.stop();
		}
	}
	try {
		const taskTimes = quick ? [2000, 5000] : [2000, 10_000, 30_000];
		const latencyRows: string[][] = [];
		for (const taskMs of taskTimes) {
			const ours = await latencyCase(sim, taskMs, repeats);
			const peer = await latencyCase(sim, taskMs, 1, 10);
			const target = taskMs * 1.05 + 300;
			latencyRows.push([
				seconds(taskMs),
				seconds(ours.wallMs),
				(ours.wallMs / taskMs).toFixed(3),
				seconds(ours.wallMs - taskMs),
				ours.wallMs <= target ? `yes (<= ${seconds(target)})` : `NO (> ${seconds(target)})`,
				String(ours.reads),
				seconds(peer.wallMs),
				String(peer.reads),
			]);
		}
		if (!quick) {
			const long = await latencyCase(sim, 60_000, 1);
			latencyRows.push([seconds(60_000), seconds(long.wallMs), (long.wallMs / 60_000).toFixed(3), seconds(long.wallMs - 60_000), long.wallMs <= 63_300 ? 'yes (<= 63.30 s)' : 'NO', String(long.reads), '-', '-']);
		}
		printTable(
			'One Edit Portrait (adaptive polling) vs a fixed 10 s poll clock (what peer nodes do)',
			['task time', 'wall', 'wall/task', 'overhead', '<= 1.05 x task + 0.3 s', 'status reads', 'fixed 10 s: wall', 'fixed 10 s: reads'],
			latencyRows,
		);

		const items = 20;
		const taskMs = quick ? 2000 : 5000;
		const sequential = await batchCase(sim, 1, 1, items, taskMs);
		const batchRows: string[][] = [];
		for (const parallel of [1, 5, 10]) {
			const wall = parallel === 1 ? sequential : await batchCase(sim, parallel, repeats, items, taskMs);
			const ideal = Math.ceil(items / parallel) * taskMs;
			batchRows.push([String(parallel), seconds(wall), seconds(ideal), (wall / ideal).toFixed(3), `${(sequential / wall).toFixed(2)}x`]);
		}
		printTable(`${items} items x ${seconds(taskMs)} tasks (Max Parallel Tasks)`, ['parallel', 'wall', 'ideal', 'wall/ideal', 'speed-up vs sequential'], batchRows);

		await pollingTable(sim);
		await pacingTable(sim);
	} finally {
		await sim.stop();
	}

	const memoryRows = (['default', 'filesystem'] as const).map((mode) => {
		const run = measureMemory(mode, 20, quick ? 2000 : 5000);
		const images = run.withImages - run.withoutImages;
		return [
			mode,
			mib(run.imageBytes),
			mib(run.withoutImages),
			mib(run.withImages),
			mib(images),
			(images / run.imageBytes).toFixed(2),
			mib(run.rssWithImages),
		];
	});
	printTable(
		'Memory: 20 items of 2048 x 2048 at Max Parallel Tasks 10, peak growth of heap + external over a collected baseline',
		['binary mode', 'image bytes', 'Download Image off', 'Download Image on', 'images cost', 'images cost / image bytes', 'peak RSS growth (on)'],
		memoryRows,
	);

	const hugeRows = (['content-length', 'chunked'] as const).map((variant) => {
		const run = inFreshProcess<HugeInputFigures>(['--huge-input', variant]);
		return [variant === 'chunked' ? 'no Content-Length (read to 5 MB + 1 byte)' : 'Content-Length: 1 GiB (refused unread)', mib(run.peak), mib(run.peak / HUGE_INPUT_ITEMS), mib(run.peakRss), seconds(run.wallMs)];
	});
	printTable(
		`Check Image First on a 1 GiB Image URL, ${HUGE_INPUT_ITEMS} items at Max Parallel Tasks ${HUGE_INPUT_ITEMS}: peak growth over a collected baseline`,
		['input', 'heap + external', 'per item', 'peak RSS growth', 'wall'],
		hugeRows,
	);
	hostileBodies();
}

/** Trickled and inflating bodies (issue 20): hostile.ts, in a fresh process so its memory baseline is clean. */
function hostileBodies(): void {
	console.log('');
	spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '-r', 'ts-node/register/transpile-only', `${__dirname}/hostile.ts`], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, BENCH_REPEATS: String(repeats) },
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
