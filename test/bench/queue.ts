/**
 * `npm run bench:queue`: the queue-mode stack of the e2e test (n8n 2.x main + workers, Redis,
 * PostgreSQL), one run: 20 webhook executions × 3 items with 1 worker, then with 2, with the
 * simulator's rate limit off and on, the node pacing every execution of a worker with one shared
 * budget. (Each run pacing itself is no option of the node any more; the in-process benchmark
 * still compares the two through the node's test seam: `npm run bench -- --pacing`.)
 * Prints wall time (first execution created → last stopped, from n8n's own records), status reads
 * per task, requests and 429s; medians of BENCH_REPEATS (default 3) batches.
 * BENCH_RATE_HEADERS: none (default: only Retry-After on a 429) | x-ratelimit | ratelimit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSimulator } from '../simulator';
import type { RateLimitHeaderStyle } from '../simulator/types';
import { n8nRuntime } from '../e2e/support/n8n';
import { packPackage } from '../e2e/support/pack';
import { startQueueStack } from '../e2e/support/queue-stack';
import { BATCH_CREDENTIAL, BATCH_WORKFLOW_ID, ITEMS_PER_EXECUTION, batchWorkflow, sendBatch, waitForExecutions } from '../e2e/support/queue-batch';

const API_KEY = 'bench-queue-key';
const EXECUTIONS = 20;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 5);
const TASK_MS = Number(process.env.BENCH_TASK_MS ?? 3000);
const RATE_LIMIT = Number(process.env.BENCH_RATE_LIMIT ?? 20);
const RATE_HEADERS = (process.env.BENCH_RATE_HEADERS ?? 'none') as RateLimitHeaderStyle;
const repeats = Number(process.env.BENCH_REPEATS ?? 3);


function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Figures {
	wall: number[];
	reads: number[];
	requests: number[];
	limited: number[];
}

async function main(): Promise<void> {
	const sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: TASK_MS, rateLimitHeaders: RATE_HEADERS });
	const folder = mkdtempSync(path.join(tmpdir(), 'spark-bench-queue-'));
	const runtime = n8nRuntime('n8n2');
	console.log(`n8n ${runtime.version} queue mode; ${EXECUTIONS} executions × ${ITEMS_PER_EXECUTION} items, Max Parallel Tasks 3, worker concurrency ${CONCURRENCY}, ${TASK_MS / 1000} s tasks, rate-limit headers: ${RATE_HEADERS}, ${repeats} repeats`);
	const stack = await startQueueStack({
		runtime,
		packageTarball: packPackage(folder),
		folder,
		workers: 1,
		concurrency: CONCURRENCY,
		credentials: [{ ...BATCH_CREDENTIAL, type: 'sparkPortraitVtrixApi', data: { apiKey: API_KEY, baseUrl: sim.url } }],
		workflows: [batchWorkflow()],
		activate: [BATCH_WORKFLOW_ID],
	});
	const seen = new Set<string>();
	const rows: string[] = [];
	try {
		for (const workers of [1, 2]) {
			while (stack.workers.length < workers) await stack.addWorker();
			for (const rateLimit of [0, RATE_LIMIT]) {
				sim.configure({ rateLimitPerSecond: rateLimit });
				const own: Figures = { wall: [], reads: [], requests: [], limited: [] };
				for (let i = 0; i < repeats; i++) {
					sim.reset();
					process.stdout.write(`  batch ${i + 1}/${repeats}: ${workers} worker(s), rate limit ${rateLimit || 'off'} ... `);
					await sendBatch(stack.api, sim.url, `${workers} ${rateLimit} ${i}`, EXECUTIONS);
					const executions = await waitForExecutions(stack.api, EXECUTIONS, seen, 600_000);
					executions.forEach((execution) => seen.add(execution.id));
					const failed = executions.filter((execution) => execution.status !== 'success');
					if (failed.length > 0) throw new Error(`${failed.length} executions did not succeed`);
					const first = Math.min(...executions.map((execution) => Date.parse(execution.startedAt ?? '')));
					const last = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt ?? '')));
					own.wall.push((last - first) / 1000);
					const tasks = EXECUTIONS * ITEMS_PER_EXECUTION;
					const api = sim.requests.filter((request) => request.route === 'create' || request.route === 'status');
					own.reads.push(sim.requestsTo('status').filter((request) => request.statusCode === 200).length / tasks);
					own.requests.push(api.length);
					own.limited.push(api.filter((request) => request.statusCode === 429).length);
					console.log(`${own.wall[own.wall.length - 1].toFixed(1)} s, ${api.length} requests, ${own.limited[own.limited.length - 1]} x 429`);
				}
				const share = median(own.limited.map((limited, index) => limited / own.requests[index]));
				const row = `| ${workers} | ${rateLimit ? `${rateLimit}/s` : 'off'} | ${median(own.wall).toFixed(1)} s | ${median(own.reads).toFixed(1)} | ${median(own.requests)} | ${median(own.limited)} (${(share * 100).toFixed(1)} %) |`;
				rows.push(row);
				console.log(row, `(walls ${own.wall.map((wall) => wall.toFixed(1)).join(', ')})`);
			}
		}
	} finally {
		await stack.stop();
		await sim.close();
		rmSync(folder, { recursive: true, force: true });
	}
	console.log(['', '| workers | rate limit | wall, 60 items | status reads per task | API requests | 429s |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n'));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
