/**
 * `npm run bench:resume`: memory per live entry of the resume registry (Retry On Fail keeps one
 * entry per item of a run that may still be tried again, however many items). Fills a registry
 * with runs of 2,000 items each, as the node does, and prints the heap growth per entry after a
 * full garbage collection: medians of repeats. Needs `node --expose-gc` (the npm script sets it).
 *
 * Then (issue 28 part 6) the heap one hostile 1 MB answer pins: the answer's text parsed as the
 * transport does (JSON.parse), read by the node's parser, made into the output item's JSON and
 * kept in the registry as a live entry; the text and the parsed body are dropped, the output and
 * the registry are kept, as between two Retry On Fail tries.
 */
import { randomBytes } from 'node:crypto';

import { parseTask } from '../../nodes/SparkPortrait/api/parse';
import type { CreateTaskBody, SparkTask } from '../../nodes/SparkPortrait/api/types';
import { taskJson } from '../../nodes/SparkPortrait/run/output';
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

const ANSWER_BYTES = 1024 * 1024;
const ANSWERS_KEPT = 20;

/** A JSON list of `entry` repeated to about `bytes` as text. */
function filler(entry: string, bytes: number): string {
	return `[${Array.from({ length: Math.floor(bytes / (entry.length + 1)) }, () => entry).join(',')}]`;
}

/** 1 MB answers (as text) of a task the node would read; each names its own task id. */
const HOSTILE_ANSWERS: Record<string, (taskId: string) => string> = {
	'metadata of {} objects': (id) => `{"id":"${id}","status":"in_progress","metadata":{"list":${filler('{}', ANSWER_BYTES)}}}`,
	'metadata of 1-key objects': (id) => `{"id":"${id}","status":"in_progress","metadata":{"list":${filler('{"a":1}', ANSWER_BYTES)}}}`,
	'metadata nested 150,000 deep': (id) => `{"id":"${id}","status":"in_progress","metadata":${'{"a":'.repeat(150_000)}{}${'}'.repeat(150_000)}}`,
	'metadata of 60,000 keys': (id) => `{"id":"${id}","status":"in_progress","metadata":{${Array.from({ length: 60_000 }, (_, index) => `"k${index}":${index}`).join(',')}}}`,
	'1 MB texts (type, cost, error)': (id) => {
		const text = JSON.stringify('x'.repeat(ANSWER_BYTES / 4));
		return `{"id":"${id}","status":"completed","output":[{"content":[{"url":"https://cdn.example.com/a.png","type":${text},"jobId":${text}}]}],"usage":{"cost":${text}},"error":{"code":"1","error_message":${text}}}`;
	},
	// The id is kept exact (the status reads need it): the one text that is not cut.
	'a task id of 1 MB': (id) => `{"id":"${id}${'x'.repeat(ANSWER_BYTES)}","status":"in_progress"}`,
};

/** Heap pinned per hostile answer: the output items and the registry's live entries kept, all else dropped. */
async function bytesPerHostileAnswer(answer: (taskId: string) => string): Promise<number> {
	gc?.();
	const before = process.memoryUsage().heapUsed;
	const registry = new ResumeRegistry();
	const outputs: unknown[] = [];
	const scope: RunScope = { executionId: hex(8), nodeId: 'node', runIndex: 0 };
	registry.countTry(scope);
	for (let item = 0; item < ANSWERS_KEPT; item++) {
		const task = parseTask(JSON.parse(answer(`task_${hex(16)}`)) as unknown);
		const key = resumeKey(scope, item, bodyOf(item));
		registry.recordCreate(key, Promise.resolve(task));
		registry.recordState(key, task);
		outputs.push(taskJson(task));
	}
	registry.endTry(scope, false);
	await new Promise((resolve) => setImmediate(resolve));
	gc?.();
	const after = process.memoryUsage().heapUsed;
	if (registry.size !== ANSWERS_KEPT || outputs.length !== ANSWERS_KEPT) throw new Error('the answers were not all kept');
	return (after - before) / ANSWERS_KEPT;
}

async function hostileAnswers(): Promise<void> {
	console.log(`\nOne hostile answer of about 1 MB: heap it pins in the output item and a live resume entry, ${ANSWERS_KEPT} kept, median of ${REPEATS}`);
	for (const [name, answer] of Object.entries(HOSTILE_ANSWERS)) {
		const size = Buffer.byteLength(answer('task_0123456789abcdef0123456789abcdef'));
		const samples: number[] = [];
		for (let repeat = 0; repeat < REPEATS; repeat++) samples.push(await bytesPerHostileAnswer(answer));
		console.log(`  ${name.padEnd(32)} ${(size / 1024 / 1024).toFixed(2)} MB answer  ${(median(samples) / 1024 / 1024).toFixed(2).padStart(6)} MiB pinned`);
	}
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
	await hostileAnswers();
}

void main();
