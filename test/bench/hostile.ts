/**
 * Issue 20's figures for hostile bodies, in a fresh process of its own (run by `npm run bench`, or
 * alone: `npx ts-node --transpile-only test/bench/hostile.ts`). Against the simulator in a child
 * process, through the built node and n8n-core's WorkflowExecute:
 * - a body trickled one byte every 0.5 s (Check Image First, and the result download) under
 *   Request Timeout 2 s: how long past that limit the item ended;
 * - a gzip result that inflates to 200 MB under the default Max Result Size (50 MB): the peak
 *   growth of heap + external memory and of RSS while it runs.
 * Medians of BENCH_REPEATS runs (default 3).
 */
import axios from 'axios';

import type { INodeParameters } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { configureHarness, runNode } from '../harness';
import { startSimulatorProcess, type SimulatorProcess } from './simulatorProcess';

// The built node: under ts-node, 'SparkPortrait.node' would resolve to the codex JSON beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SparkPortrait } = require('../../dist/nodes/SparkPortrait/SparkPortrait.node.js') as typeof import('../../nodes/SparkPortrait/SparkPortrait.node');

const API_KEY = 'bench-key';
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const REQUEST_TIMEOUT_S = 2;
const BOMB_BYTES = 200 * 1024 * 1024;
const CAP_BYTES = 50 * 1024 * 1024;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function injectFault(sim: SimulatorProcess, fault: Record<string, unknown>): Promise<void> {
	await axios.post(`${sim.url}/__sim/faults`, fault);
}

async function run(sim: SimulatorProcess, parameters: INodeParameters) {
	return await runNode({
		nodeType: new SparkPortrait(),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: { apiKey: API_KEY, baseUrl: sim.url } },
		parameters: { imageUrl: `${sim.url}/fixtures/portrait.jpg`, ...parameters },
		// Had the limit not held, the run is stopped here.
		abortAfterMs: 30_000,
	});
}

/** Ms from (the trickled request's arrival + Request Timeout) to the end of the run. */
async function pastDeadline(sim: SimulatorProcess, route: 'fixture' | 'download', parameters: INodeParameters): Promise<number> {
	await sim.reset();
	await injectFault(sim, { route, kind: 'trickle', intervalMs: 500, times: 'Infinity' });
	await run(sim, parameters);
	const ended = Date.now();
	const trickled = (await sim.requests()).find((request) => request.route === route);
	if (!trickled) throw new Error(`no ${route} request was made`);
	return ended - (trickled.at + REQUEST_TIMEOUT_S * 1000);
}

/** Peak growth of heap + external memory and of RSS over a collected baseline while `work` runs. */
async function peakGrowth(work: () => Promise<unknown>): Promise<{ heap: number; rss: number }> {
	global.gc?.();
	const base = process.memoryUsage();
	const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
	let heap = 0;
	let rss = 0;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		heap = Math.max(heap, used(now) - used(base));
		rss = Math.max(rss, now.rss - base.rss);
	}, 5);
	try {
		await work();
		return { heap, rss };
	} finally {
		clearInterval(sampler);
	}
}

async function main(): Promise<void> {
	await configureHarness({ binaryDataMode: 'default' });
	const sim = await startSimulatorProcess(API_KEY);
	try {
		await sim.configure({ taskDurationMs: 300 });
		const timeouts = { requestTimeout: REQUEST_TIMEOUT_S, maxRetries: 0 };
		const input: number[] = [];
		const download: number[] = [];
		for (let i = 0; i < repeats; i++) {
			input.push(await pastDeadline(sim, 'fixture', { operation: 'create', options: { checkImage: true, ...timeouts } }));
			download.push(await pastDeadline(sim, 'download', { operation: 'createAndWait', options: { pollInterval: 0.2, ...timeouts } }));
		}
		console.log(`Trickled body (1 byte / 0.5 s), Request Timeout ${REQUEST_TIMEOUT_S} s, medians of ${repeats}: time past the limit`);
		console.log(`  Check Image First: ${(median(input) / 1000).toFixed(2)} s   result download: ${(median(download) / 1000).toFixed(2)} s   (goal <= 1 s)`);

		await run(sim, { operation: 'createAndWait', options: { pollInterval: 0.2 } }); // warm-up: code loaded, first allocations made
		const heaps: number[] = [];
		const rsses: number[] = [];
		for (let i = 0; i < repeats; i++) {
			await sim.reset();
			await injectFault(sim, { route: 'download', kind: 'gzipBomb', inflatedBytes: BOMB_BYTES });
			const peak = await peakGrowth(async () => {
				const result = await run(sim, { operation: 'createAndWait', options: { pollInterval: 0.2 } });
				if (!/Max Result Size/.test(result.error?.message ?? '')) throw new Error(`the bomb was not stopped: ${result.error?.message ?? 'no error'}`);
			});
			heaps.push(peak.heap);
			rsses.push(peak.rss);
		}
		console.log(`gzip result inflating to ${mib(BOMB_BYTES)}, Max Result Size ${mib(CAP_BYTES)}, medians of ${repeats}: peak growth`);
		console.log(`  heap + external: ${mib(median(heaps))}   RSS: ${mib(median(rsses))}   (goal <= ${mib(CAP_BYTES + 10 * 1024 * 1024)})`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
