/**
 * `npm run bench:queue`: the queue-mode stack of the e2e test (n8n 2.x main + workers, Redis,
 * PostgreSQL), one run: 20 webhook executions × 3 items with 1 worker, then with 2, with the
 * simulator's rate limit off and on. Prints wall time (first execution created → last stopped, from
 * n8n's own records), status reads per task and 429s; medians of BENCH_REPEATS (default 3) batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSimulator } from '../simulator';
import { n8nRuntime } from '../e2e/support/n8n';
import { packPackage } from '../e2e/support/pack';
import { ITEMS_PER_EXECUTION, sendBatch, startBatchStack, waitForExecutions } from '../e2e/support/queue-batch';

const API_KEY = 'bench-queue-key';
const EXECUTIONS = 20;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 5);
const TASK_MS = Number(process.env.BENCH_TASK_MS ?? 3000);
const RATE_LIMIT = Number(process.env.BENCH_RATE_LIMIT ?? 20);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
	const sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: TASK_MS });
	const folder = mkdtempSync(path.join(tmpdir(), 'spark-bench-queue-'));
	const runtime = n8nRuntime('n8n2');
	console.log(`n8n ${runtime.version} queue mode; ${EXECUTIONS} executions × ${ITEMS_PER_EXECUTION} items, Max Parallel Tasks 3, worker concurrency ${CONCURRENCY}, ${TASK_MS / 1000} s tasks, ${repeats} repeats`);
	const stack = await startBatchStack({
		runtime,
		packageTarball: packPackage(folder),
		folder,
		workers: 1,
		concurrency: CONCURRENCY,
		baseUrl: sim.url,
		apiKey: API_KEY,
	});
	const seen = new Set<string>();
	const rows: string[] = [];
	try {
		for (const workers of [1, 2]) {
			while (stack.workers.length < workers) await stack.addWorker();
			for (const rateLimit of [0, RATE_LIMIT]) {
				sim.configure({ rateLimitPerSecond: rateLimit });
				const walls: number[] = [];
				const reads: number[] = [];
				const limited: number[] = [];
				for (let i = 0; i < repeats; i++) {
					sim.reset();
					process.stdout.write(`  batch ${i + 1}/${repeats}: ${workers} worker(s), rate limit ${rateLimit || 'off'} ... `);
					await sendBatch(stack.api, sim.url, `bench ${workers} ${rateLimit} ${i}`, EXECUTIONS);
					const executions = await waitForExecutions(stack.api, EXECUTIONS, seen, 600_000);
					executions.forEach((execution) => seen.add(execution.id));
					const failed = executions.filter((execution) => execution.status !== 'success');
					if (failed.length > 0) throw new Error(`${failed.length} executions did not succeed`);
					const first = Math.min(...executions.map((execution) => Date.parse(execution.startedAt ?? '')));
					const last = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt ?? '')));
					walls.push((last - first) / 1000);
					console.log(`${walls[walls.length - 1].toFixed(1)} s`);
					const tasks = EXECUTIONS * ITEMS_PER_EXECUTION;
					reads.push(sim.requestsTo('status').filter((request) => request.statusCode === 200).length / tasks);
					limited.push(sim.requests.filter((request) => request.statusCode === 429).length);
				}
				const row = `| ${workers} | ${rateLimit ? `${rateLimit}/s` : 'off'} | ${median(walls).toFixed(1)} s | ${median(reads).toFixed(1)} | ${median(limited)} |`;
				rows.push(row);
				console.log(row, `(walls ${walls.map((wall) => wall.toFixed(1)).join(', ')})`);
			}
		}
	} finally {
		await stack.stop();
		await sim.close();
		rmSync(folder, { recursive: true, force: true });
	}
	console.log(['', '| workers | rate limit | wall, 60 items | status reads per task | 429s |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
