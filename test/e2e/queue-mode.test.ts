/**
 * The packed package in n8n's queue mode: a main that takes webhook calls and enqueues executions in
 * Redis, two `n8n worker` processes that run them, PostgreSQL shared by all, and binary data stored in
 * the database. Against the simulator with a rate limit, so 429s really happen.
 * Needs Debian's redis-server and postgresql (`bash scripts/install-queue-servers.sh`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import sharp from 'sharp';

import { startSimulator, type SimulatorHandle } from '../simulator';
import { ENCRYPTION_KEY, n8nRuntime, nodeOutput, type N8nVersionKey } from './support/n8n';
import type { ExecutionSummary } from './support/n8n-api';
import { packPackage } from './support/pack';
import { ITEMS_PER_EXECUTION, batchPrompt, sendBatch, startBatchStack, waitForExecutions, workerOfExecution } from './support/queue-batch';
import type { QueueStack } from './support/queue-stack';

jest.setTimeout(600_000);

const API_KEY = 'queue-secret-key-5d2e81c7';
const EXECUTIONS = 20;
const RATE_LIMIT_PER_SECOND = 20;
const WORKER_CONCURRENCY = 5;

/** Environment per version: both store binary data in PostgreSQL (2.x does so by itself in queue mode). */
const VERSION_ENV: Record<N8nVersionKey, Record<string, string>> = {
	n8n1: { N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database', N8N_DEFAULT_BINARY_DATA_MODE: 'database' },
	n8n2: {},
};

// Short Bull locks and a frequent recovery check, so a killed worker's executions settle within seconds.
const FAST_RECOVERY_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '5000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1',
};

describe.each<[N8nVersionKey]>([['n8n2'], ['n8n1']])('queue mode in real %s', (key) => {
	let sim: SimulatorHandle;
	let folder: string;
	let stack: QueueStack;
	const seen = new Set<string>();

	/** Create requests the simulator accepted, i.e. tasks that exist and are billed. */
	const createdTasks = () => sim.requestsTo('create').filter((request) => request.statusCode === 200 && request.taskId);
	const promptOf = (request: { body?: unknown }) => (request.body as { prompt?: string }).prompt ?? '';

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: 2000, rateLimitPerSecond: RATE_LIMIT_PER_SECOND });
		folder = mkdtempSync(path.join(tmpdir(), `spark-queue-${key}-`));
		stack = await startBatchStack({
			runtime: n8nRuntime(key),
			packageTarball: packPackage(folder),
			folder,
			workers: 2,
			concurrency: WORKER_CONCURRENCY,
			baseUrl: sim.url,
			apiKey: API_KEY,
			env: { ...VERSION_ENV[key], ...FAST_RECOVERY_ENV },
		});
	});

	afterAll(async () => {
		const daemons = stack?.daemons() ?? [];
		const output = stack?.allOutput() ?? '';
		await stack?.stop();
		await sim?.close();
		if (folder) rmSync(folder, { recursive: true, force: true });
		// Nothing left running: every server and n8n process has exited.
		expect(daemons.filter((daemon) => !daemon.hasExited()).map((daemon) => daemon.name)).toEqual([]);
		// Neither secret in anything any process printed (servers included).
		expect(output).not.toContain(API_KEY);
		expect(output).not.toContain(ENCRYPTION_KEY);
	});

	it(`${EXECUTIONS} executions × ${ITEMS_PER_EXECUTION} items from webhooks: all succeed on both workers, 60 tasks, images readable through the main`, async () => {
		sim.reset();
		await sendBatch(stack.api, sim.url, 'run', EXECUTIONS);
		const executions = await waitForExecutions(stack.api, EXECUTIONS, seen, 240_000);
		executions.forEach((execution) => seen.add(execution.id));

		expect(executions.map((execution) => execution.status)).toEqual(Array(EXECUTIONS).fill('success'));
		const owners = workerOfExecution(stack);
		const workersUsed = new Set(executions.map((execution) => owners.get(execution.id)));
		expect([...workersUsed].sort()).toEqual(['worker-1', 'worker-2']);

		// Exactly one task per item: no duplicate create, nothing lost; every one completed.
		const created = createdTasks();
		const expectedPrompts = Array.from({ length: EXECUTIONS }, (_, r) => Array.from({ length: ITEMS_PER_EXECUTION }, (__, i) => batchPrompt('run', r, i))).flat();
		expect(created.map(promptOf).sort()).toEqual([...expectedPrompts].sort());
		const taskIds = created.map((request) => request.taskId as string);
		expect(new Set(taskIds).size).toBe(EXECUTIONS * ITEMS_PER_EXECUTION);
		expect(taskIds.filter((id) => sim.task(id)?.status !== 'completed')).toEqual([]);
		// The rate limit was really hit, and every 429 was absorbed.
		expect(sim.requests.filter((request) => request.statusCode === 429).length).toBeGreaterThan(0);

		// Each item's output, read back through the main: its task, and its image stored in PostgreSQL.
		const outputTaskIds: string[] = [];
		const workerOfRequest = new Map<string, string | undefined>();
		for (const { id } of executions) {
			const items = nodeOutput(await stack.api.getExecution(id), 'Edit Portrait');
			expect(items).toHaveLength(ITEMS_PER_EXECUTION);
			for (const item of items) {
				const taskId = item.json.taskId as string;
				outputTaskIds.push(taskId);
				workerOfRequest.set(taskId, owners.get(id)).set(promptOf({ body: item.json.metadata }), owners.get(id));
				const entry = item.binary?.data;
				expect(entry?.id).toMatch(/^database:/);
				const bytes = await stack.api.readBinary(entry!);
				expect(bytes.length).toBe(sim.task(taskId)?.output?.size);
				expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 768, height: 768 });
			}
		}
		expect(outputTaskIds.sort()).toEqual([...taskIds].sort());

		// The workers share nothing but the API: each paces with a request budget of its own, and logs a
		// pause for exactly the 429s that it was answered (a create's by its prompt, a read's by its task).
		const limited = sim.requests.filter((request) => request.statusCode === 429);
		for (const worker of stack.workers) {
			const answered = limited.filter((request) => workerOfRequest.get(request.taskId ?? promptOf(request)) === worker.name);
			expect(worker.daemon.output().match(/answered 429; requests from this n8n process wait/g) ?? []).toHaveLength(answered.length);
		}
	});

	it('a worker killed (SIGKILL) mid-run: the other worker finishes its executions; the killed ones keep their task ids in the worker log, and no item is created twice by one run', async () => {
		sim.reset();
		sim.configure({ taskDurationMs: 8000 });
		const requests = 2 * WORKER_CONCURRENCY; // both workers full
		await sendBatch(stack.api, sim.url, 'kill', requests);
		await waitFor(() => createdTasks().length === requests * ITEMS_PER_EXECUTION, 90_000, 'every task created');

		const victim = stack.workers[0];
		const victimLog = () => victim.daemon.output();
		const ownersBefore = workerOfExecution(stack);
		const killed = [...ownersBefore].filter(([id, worker]) => worker === victim.name && !seen.has(id)).map(([id]) => id);
		expect(killed.length).toBeGreaterThan(0);
		await victim.daemon.stop('SIGKILL');

		const executions = await waitForExecutions(stack.api, requests, seen, 240_000);
		executions.forEach((execution) => seen.add(execution.id));
		const byId = new Map<string, ExecutionSummary>(executions.map((execution) => [execution.id, execution]));
		const survivors = executions.filter((execution) => !killed.includes(execution.id));
		expect(survivors.map((execution) => execution.status)).toEqual(Array(survivors.length).fill('success'));

		// What a user sees for each execution the killed worker held, and where its tasks went.
		const starts = (id: string) =>
			stack.workers.reduce((count, worker) => count + [...worker.daemon.output().matchAll(new RegExp(`Worker started execution ${id} `, 'g'))].length, 0);
		const report = await Promise.all(
			killed.map(async (id) => {
				const execution = await stack.api.getExecution(id);
				const ranNodes = Object.keys(execution.data?.resultData?.runData ?? {});
				return { id, status: byId.get(id)?.status, starts: starts(id), error: execution.data?.resultData?.error?.message, ranNodes };
			}),
		);
		console.log(`${key}: executions on the killed worker`, JSON.stringify(report));

		const createdByPrompt = new Map<string, string[]>();
		for (const request of createdTasks()) createdByPrompt.set(promptOf(request), [...(createdByPrompt.get(promptOf(request)) ?? []), request.taskId as string]);
		const loggedTaskIds = [...victimLog().matchAll(/Spark Portrait created task (\S+) \(execution (\d+)/g)];
		for (const { id, status, starts: runs } of report) {
			const logged = loggedTaskIds.filter((match) => match[2] === id).map((match) => match[1]);
			// The node logged every task it created for the execution before the worker died.
			expect(logged).toHaveLength(ITEMS_PER_EXECUTION);
			for (const taskId of logged) {
				const prompt = promptOf(createdTasks().find((request) => request.taskId === taskId) ?? {});
				// One task per item per run of the execution: a second only if n8n itself ran it again.
				expect(createdByPrompt.get(prompt)).toHaveLength(runs);
				expect(sim.task(taskId)).toBeDefined();
			}
			if (status === 'success') expect(runs).toBe(2);
			else expect(['crashed', 'error']).toContain(status);
		}
		for (const { status, ranNodes } of report) {
			// A killed run saved nothing of the node: the task ids are only in the worker's log.
			if (status !== 'success') expect(ranNodes).not.toContain('Edit Portrait');
		}
	});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
		await sleep(100);
	}
}
