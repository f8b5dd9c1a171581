/**
 * `npm run bench:resume`: memory per live entry of the resume registry (Retry On Fail keeps one
 * entry per item of a run that may still be tried again, however many items). Fills a registry
 * with runs of 2,000 items each, as the node does, and prints the heap growth per entry after a
 * full garbage collection: medians of repeats. Needs `node --expose-gc` (the npm script sets it).
 */
import { randomBytes } from 'node:crypto';

import type { CreateTaskBody, SparkTask } from '../../nodes/SparkPortrait/api/types';
import { ResumeRegistry, resumeKey, type RunScope } from '../../nodes/SparkPortrait/run/resume';
import type { StagedImage } from '../../nodes/SparkPortrait/staging/binaryInput';

const ITEMS_PER_RUN = 2000;
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:resume)');

type Case = 'url, pending' | 'url, completed' | 'binary input';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function bodyOf(item: number): CreateTaskBody {
	return { model: 'spark_edit_portrait', image_input: `https://img.example.com/portraits/${item}.jpg`, prompt: 'soft studio light', width: 1328, height: 1328, gpen: 0.4, skin: 0.3, skin_unifi: 0, seed: '-1' };
}

function created(): SparkTask {
	return { taskId: `task_${hex(16)}`, status: 'pending', rawStatus: 'pending', images: [] };
}

function completed(taskId: string): SparkTask {
	return {
		taskId,
		status: 'completed',
		rawStatus: 'succeeded',
		images: [{ type: 'image', url: `https://cdn.example.com/results/${hex(16)}.png` }],
		usage: { cost: '0.04' },
	};
}

/** A presigned link as the node makes it: the length of a real one. */
function stagedImage(): StagedImage {
	const key = `spark-portrait/${hex(16)}.jpg`;
	const url = `https://spark-staging.s3.us-east-1.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261127%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T160000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${hex(32)}`;
	return { bucket: 'spark-staging', key, url, urlExpiresAt: '2026-11-27T16:15:00.000Z' };
}

async function fill(registry: ResumeRegistry, kind: Case): Promise<number> {
	let entries = 0;
	for (let run = 0; run < RUNS; run++) {
		const scope: RunScope = { executionId: String(100_000 + run), nodeId: `node-${hex(8)}`, runIndex: 0 };
		registry.countTry(scope);
		for (let item = 0; item < ITEMS_PER_RUN; item++) {
			const key = resumeKey(scope, item, bodyOf(item));
			const task = created();
			registry.recordCreate(key, Promise.resolve(task));
			if (kind === 'url, completed') registry.recordState(key, completed(task.taskId));
			if (kind === 'binary input') registry.recordImage(key, stagedImage());
			entries++;
		}
		// The try failed: n8n will run the node again, so every entry stays live.
		registry.endTry(scope, false);
	}
	await new Promise((resolve) => setImmediate(resolve));
	return entries;
}

async function bytesPerEntry(kind: Case): Promise<number> {
	gc?.();
	const before = process.memoryUsage().heapUsed;
	const registry = new ResumeRegistry();
	const entries = await fill(registry, kind);
	gc?.();
	const after = process.memoryUsage().heapUsed;
	if (registry.size !== entries) throw new Error(`expected ${entries} live entries, found ${registry.size}`);
	return (after - before) / entries;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
	const entries = RUNS * ITEMS_PER_RUN;
	console.log(`Resume registry: heap per live entry, ${entries.toLocaleString('en')} entries in ${RUNS} runs of ${ITEMS_PER_RUN.toLocaleString('en')} items, median of ${REPEATS}`);
	for (const kind of ['url, pending', 'url, completed', 'binary input'] as const) {
		const samples: number[] = [];
		for (let repeat = 0; repeat < REPEATS; repeat++) samples.push(await bytesPerEntry(kind));
		const value = median(samples);
		console.log(`  ${kind.padEnd(16)} ${Math.round(value).toString().padStart(6)} B per entry  (${((value * 10_000) / 1024 / 1024).toFixed(1)} MiB per 10,000 items)`);
	}
}

void main();
