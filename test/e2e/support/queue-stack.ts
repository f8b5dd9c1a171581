/**
 * n8n in queue mode on this machine: Redis and PostgreSQL from Debian's packages, one main (`n8n start`)
 * and `n8n worker` processes, each with its own user folder and the packed package installed in it,
 * the way separate hosts would have them. Everything listens on free loopback ports under one folder.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { installCommunityPackage } from './community-package';
import { startDaemon, waitUntilReady, type Daemon } from './daemon';
import { createN8nInstance, type N8nCredential } from './n8n';
import { connectN8nApi, type N8nApi } from './n8n-api';
import { freePort, n8nEnv } from './n8n-env';
import { startPostgres, type PostgresServer } from './postgres';
import { startRedis, type RedisServer } from './redis';
import type { N8nRuntime } from './runtime';
import { startN8nServer, type N8nServer } from './server';

export interface QueueStackOptions {
	runtime: N8nRuntime;
	packageTarball: string;
	/** An empty folder for everything: servers' data, user folders, logs. The caller removes it. */
	folder: string;
	/** Workers started with the stack (more can be added later). */
	workers: number;
	/** `n8n worker --concurrency`: executions one worker runs at once. */
	concurrency: number;
	credentials: N8nCredential[];
	workflows: object[];
	/** Workflows to activate once the main runs (webhook triggers). */
	activate?: string[];
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Main's port; default a free one. */
	mainPort?: number;
	/** Write each process's output to `<folder>/logs/<name>.log` as well. */
	logToFiles?: boolean;
	/** Load worker-probe.js into each worker: its event-loop stalls, rejections, memory and exit in its log. */
	probeWorkers?: boolean;
}

export interface QueueWorker {
	name: string;
	daemon: Daemon;
}

export interface QueueStack {
	main: N8nServer;
	api: N8nApi;
	workers: QueueWorker[];
	redis: RedisServer;
	postgres: PostgresServer;
	/** The environment that puts n8n into this queue setup (also what a person would set). */
	queueEnv: Record<string, string>;
	addWorker(): Promise<QueueWorker>;
	/** Every process of the stack, servers included, in start order. */
	daemons(): Daemon[];
	/** Everything every process printed so far. */
	allOutput(): string;
	stop(): Promise<void>;
}

const DATABASE = 'n8n';
// Generous: on a loaded machine (load average 50) a main took over 2 minutes to answer its first request.
const START_TIMEOUT_MS = 300_000;
const WORKER_PROBE = path.join(__dirname, 'worker-probe.js');

async function healthy(url: string): Promise<boolean> {
	const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
	await response.arrayBuffer();
	return response.ok;
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	const { runtime, folder } = options;
	const logDir = path.join(folder, 'logs');
	await mkdir(logDir, { recursive: true });
	const logFile = (name: string) => (options.logToFiles ? path.join(logDir, `${name}.log`) : undefined);
	const stoppers: Array<() => Promise<void>> = [];
	const daemons: Daemon[] = [];
	const workers: QueueWorker[] = [];

	const stop = async () => {
		// Workers and main first, so nothing reconnects to a server that is going away.
		await Promise.all(workers.map((worker) => worker.daemon.stop('SIGTERM', 20_000)));
		for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
	};

	try {
		const serverFolder = async (name: string) => {
			const dir = path.join(folder, name);
			await mkdir(dir, { recursive: true });
			return dir;
		};
		const redis = await startRedis({ folder: await serverFolder('redis'), logFile: logFile('redis') });
		stoppers.push(redis.stop);
		daemons.push(redis.daemon);
		const postgres = await startPostgres({ folder: await serverFolder('postgres'), logFile: logFile('postgres') });
		stoppers.push(postgres.stop);
		daemons.push(postgres.daemon);
		await postgres.createDatabase(DATABASE);

		const queueEnv: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: postgres.user,
			...options.env,
		};

		// The main's user folder: package, credential and workflows, imported into PostgreSQL by the CLI.
		const mainFolder = path.join(folder, 'main');
		const setup = await createN8nInstance({ runtime, packageTarball: options.packageTarball, userFolder: mainFolder, env: queueEnv });
		try {
			await setup.importCredentials(options.credentials);
			await setup.importWorkflows(options.workflows);
		} finally {
			await setup.dispose();
		}

		const main = await startN8nServer({
			runtime,
			userFolder: mainFolder,
			port: options.mainPort ?? (await freePort()),
			env: queueEnv,
			logFile: logFile('main'),
			startTimeoutMs: START_TIMEOUT_MS,
		});
		stoppers.push(main.stop);
		daemons.push(main.daemon);
		const api = await connectN8nApi(main);
		for (const id of options.activate ?? []) await api.activateWorkflow(id);

		let named = 0;
		const addWorker = async (): Promise<QueueWorker> => {
			// Numbered when asked for, so workers started side by side get names of their own.
			const name = `worker-${++named}`;
			const userFolder = path.join(folder, name);
			await installCommunityPackage(path.join(userFolder, '.n8n', 'nodes'), options.packageTarball);
			const healthPort = await freePort();
			const env = n8nEnv({
				runtime,
				userFolder,
				brokerPort: await freePort(),
				env: {
					...queueEnv,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					...(options.probeWorkers ? { NODE_OPTIONS: `--require ${WORKER_PROBE}`, E2E_PROBE_NAME: name } : {}),
				},
			});
			const daemon = startDaemon({
				name,
				command: runtime.nodeBin,
				args: [runtime.n8nBin, 'worker', `--concurrency=${options.concurrency}`],
				cwd: userFolder,
				env,
				logFile: logFile(name),
			});
			const worker = { name, daemon };
			workers.push(worker);
			daemons.push(daemon);
			await waitUntilReady(daemon, () => healthy(`http://127.0.0.1:${healthPort}/healthz/readiness`), START_TIMEOUT_MS, 500);
			return worker;
		};
		// Side by side: each start loads all of n8n's nodes, and the stack is ready when the slowest is.
		await Promise.all(Array.from({ length: options.workers }, addWorker));
		workers.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

		return {
			main,
			api,
			workers,
			redis,
			postgres,
			queueEnv,
			addWorker,
			daemons: () => [...daemons],
			allOutput: () => daemons.map((daemon) => daemon.output()).join('\n'),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
