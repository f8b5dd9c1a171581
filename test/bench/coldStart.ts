/**
 * Issue 28 part 11: a rate limit met from a cold start. Each run is a fresh process (nothing
 * learned: no request budget, no task times) that runs one execution of 60 Edit Portrait items at
 * Max Parallel Tasks 30 against the simulator (in a child process) with 3 s tasks and a limit of
 * 20 requests per second, answered with 429 and Retry-After: 1 and no rate headers. Prints the
 * share of API requests answered 429 and the time from the first create to the last result;
 * medians of BENCH_REPEATS runs (default 5). `npm run bench -- --cold`, or alone:
 * `npx ts-node --transpile-only test/bench/coldStart.ts` (after `npm run build`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { configureHarness, runNode } from '../harness';
import { startSimulatorProcess } from './simulatorProcess';

// The built node: under ts-node, 'SparkPortrait.node' would resolve to the codex JSON beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SparkPortrait } = require('../../dist/nodes/SparkPortrait/SparkPortrait.node.js') as typeof import('../../nodes/SparkPortrait/SparkPortrait.node');

const API_KEY = 'bench-key';
const ITEMS = 60;
const PARALLEL = 30;
const TASK_MS = 3000;
const LIMIT_PER_SECOND = 20;
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

interface RunFigures {
	requests: number;
	refused: number;
	/** From the first create's arrival to the end of the execution (the last result). */
	lastResultMs: number;
	completed: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One execution in this (fresh) process, against the simulator at `url`; prints its figures as JSON. */
async function oneRun(url: string): Promise<void> {
	await configureHarness({ binaryDataMode: 'default' });
	const result = await runNode({
		nodeType: new SparkPortrait(),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: { apiKey: API_KEY, baseUrl: url } },
		parameters: { operation: 'createAndWait', imageUrl: `${url}/fixtures/portrait.jpg`, width: 512, height: 512, options: { maxParallel: PARALLEL } },
		inputItems: Array.from({ length: ITEMS }, () => ({})),
	});
	const endedAt = Date.now();
	const completed = result.items.filter((item) => item.json.status === 'completed').length;
	process.stdout.write(`${JSON.stringify({ endedAt, completed, error: result.error?.message })}\n`);
}

/** Per half second from the first create: creates and status reads sent, and how many were answered 429 (BENCH_TIMELINE=1). */
function printTimeline(api: Array<{ at: number; route: string; statusCode?: number }>, firstCreate: number): void {
	const slots = new Map<number, string[]>();
	for (const request of api) {
		const slot = Math.floor((request.at - firstCreate) / 500);
		slots.set(slot, [...(slots.get(slot) ?? []), `${request.route === 'create' ? 'c' : 's'}${request.statusCode === 429 ? '!' : ''}`]);
	}
	for (const [slot, marks] of [...slots].sort(([a], [b]) => a - b)) {
		const count = (mark: string) => marks.filter((m) => m === mark).length;
		console.log(`  ${(slot / 2).toFixed(1)} s: creates ${count('c')} (+${count('c!')} refused), reads ${count('s')} (+${count('s!')} refused)`);
	}
}

async function main(): Promise<void> {
	const urlIndex = process.argv.indexOf('--one');
	if (urlIndex > 0) return await oneRun(process.argv[urlIndex + 1]);
	const sim = await startSimulatorProcess(API_KEY);
	const runs: RunFigures[] = [];
	try {
		for (let run = 0; run < repeats; run++) {
			await sim.reset();
			await sim.configure({ taskDurationMs: TASK_MS, jitterMs: 0, rateLimitPerSecond: LIMIT_PER_SECOND, rateLimitHeaders: 'none' });
			// Asynchronously: a blocked event loop would let the simulator's control connection go stale.
			const child = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--one', sim.url], { maxBuffer: 64 * 1024 * 1024 });
			const line = child.stdout.trim().split('\n').pop() ?? '{}';
			const { endedAt, completed, error } = JSON.parse(line) as { endedAt: number; completed: number; error?: string };
			if (error) console.log(`run ${run + 1}: the execution failed: ${error}`);
			const api = (await sim.requests()).filter((request) => request.route === 'create' || request.route === 'status');
			const firstCreate = Math.min(...api.filter((request) => request.route === 'create').map((request) => request.at));
			if (process.env.BENCH_TIMELINE) printTimeline(api, firstCreate);
			runs.push({ requests: api.length, refused: api.filter((request) => request.statusCode === 429).length, lastResultMs: endedAt - firstCreate, completed });
		}
	} finally {
		await sim.stop();
	}
	console.log(`Cold start: ${ITEMS} items, Max Parallel Tasks ${PARALLEL}, ${TASK_MS / 1000} s tasks, API limit ${LIMIT_PER_SECOND}/s (429 + Retry-After: 1, no rate headers); each run a fresh process`);
	console.log(`${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}, Node ${process.version}`);
	console.log('run | API requests | 429s | share | first create -> last result | completed');
	runs.forEach((run, index) => console.log(`${index + 1} | ${run.requests} | ${run.refused} | ${((100 * run.refused) / run.requests).toFixed(1)} % | ${(run.lastResultMs / 1000).toFixed(1)} s | ${run.completed}`));
	const shares = runs.map((run) => (100 * run.refused) / run.requests);
	console.log(`median | ${median(runs.map((run) => run.requests))} | ${median(runs.map((run) => run.refused))} | ${median(shares).toFixed(1)} % | ${(median(runs.map((run) => run.lastResultMs)) / 1000).toFixed(1)} s |`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
