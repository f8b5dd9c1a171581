/**
 * `npm run stack:up` / `npm run stack:down`: the queue-mode stack of the e2e test, to look at in the
 * browser. n8n 2.x main on http://127.0.0.1:5678 (N8N_PORT), two workers (STACK_WORKERS, concurrency
 * STACK_CONCURRENCY), Redis and PostgreSQL on free loopback ports, and the simulator (or the real API
 * with SPARK_API_KEY, and SPARK_BASE_URL if not Vtrix's). `up` starts a supervisor in the background that owns every
 * process and returns once n8n answers; `down` stops the supervisor, which stops everything.
 * All data and logs live in .cache/queue-stack and start fresh on each `up`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { signalGroup } from '../../test/e2e/support/child-process';
import { n8nRuntime } from '../../test/e2e/support/n8n';
import { packPackage } from '../../test/e2e/support/pack';
import { BATCH_CREDENTIAL, BATCH_WEBHOOK_PATH, BATCH_WORKFLOW_ID, batchWorkflow } from '../../test/e2e/support/queue-batch';
import { startQueueStack } from '../../test/e2e/support/queue-stack';
import { exampleWorkflows } from '../quickstart/examples';
import { localSparkTarget, withBaseUrl } from '../quickstart/sparkTarget';

const ROOT = path.join(__dirname, '..', '..');
const HOME = path.join(ROOT, '.cache', 'queue-stack');
const STATE_FILE = path.join(HOME, 'state.json');
const SUPERVISOR_LOG = path.join(HOME, 'supervisor.log');
const RUN_FOLDER = path.join(HOME, 'run');
const UP_TIMEOUT_MS = 300_000;

interface State {
	supervisorPid: number;
	ready: boolean;
	/** Every process the supervisor started, for `down` to end if the supervisor cannot. */
	pids: number[];
	lines?: string[];
	error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readState(): State | undefined {
	return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State) : undefined;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The process is this script's supervisor (a recycled pid must not be signalled). */
function isSupervisor(pid: number): boolean {
	try {
		const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		return command.includes('stack.ts') && command.includes('supervise');
	} catch {
		return false;
	}
}

async function up(): Promise<void> {
	const state = readState();
	if (state && isSupervisor(state.supervisorPid)) {
		console.log(`The stack is already running (supervisor pid ${state.supervisorPid}):\n${(state.lines ?? []).join('\n')}`);
		return;
	}
	mkdirSync(HOME, { recursive: true });
	rmSync(STATE_FILE, { force: true });
	const log = openSync(SUPERVISOR_LOG, 'w');
	const supervisor = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'supervise'], {
		cwd: ROOT,
		detached: true,
		stdio: ['ignore', log, log],
		env: process.env,
	});
	supervisor.unref();
	console.log(`Starting Redis, PostgreSQL, the simulator, n8n main and workers (logs: ${path.relative(process.cwd(), HOME)}) ...`);
	const deadline = Date.now() + UP_TIMEOUT_MS;
	for (;;) {
		const current = readState();
		if (current?.ready) {
			console.log(current.lines?.join('\n'));
			return;
		}
		if (current?.error || !alive(supervisor.pid ?? -1) || Date.now() > deadline) {
			console.error(`The stack did not come up. ${current?.error ?? ''}\n--- ${SUPERVISOR_LOG} ---\n${readFileSync(SUPERVISOR_LOG, 'utf8').slice(-4000)}`);
			await down();
			process.exit(1);
		}
		await sleep(500);
	}
}

async function supervise(): Promise<void> {
	const writeState = (state: Omit<State, 'supervisorPid'>) => writeFileSync(STATE_FILE, JSON.stringify({ supervisorPid: process.pid, ...state }, null, 2));
	writeState({ ready: false, pids: [] });
	rmSync(RUN_FOLDER, { recursive: true, force: true });
	mkdirSync(RUN_FOLDER, { recursive: true });
	const target = await localSparkTarget();
	const examples = exampleWorkflows().map((workflow) => withBaseUrl(workflow, target.baseUrl));
	const stack = await startQueueStack({
		runtime: n8nRuntime('n8n2'),
		packageTarball: packPackage(RUN_FOLDER),
		folder: RUN_FOLDER,
		workers: Number(process.env.STACK_WORKERS ?? 2),
		concurrency: Number(process.env.STACK_CONCURRENCY ?? 5),
		credentials: [target.credential, { ...target.credential, ...BATCH_CREDENTIAL }],
		workflows: [batchWorkflow(), ...examples],
		activate: [BATCH_WORKFLOW_ID],
		mainPort: Number(process.env.N8N_PORT ?? 5678),
		logToFiles: true,
		// "Execute workflow" in the editor runs on a worker too, as production executions do.
		env: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
	}).catch((error: unknown) => {
		writeState({ ready: false, pids: [], error: error instanceof Error ? error.message : String(error) });
		throw error;
	});
	const example = JSON.stringify({ portraits: [{ imageUrl: `${target.baseUrl}/fixtures/portrait.jpg`, prompt: 'studio portrait, soft light' }] });
	const lines = [
		'',
		`n8n ${n8nRuntime('n8n2').version} in queue mode: ${stack.main.url}  (sign in as ${stack.main.ownerEmail} / ${stack.main.ownerPassword})`,
		`  workers: ${stack.workers.length} × concurrency ${process.env.STACK_CONCURRENCY ?? 5}; Redis 127.0.0.1:${stack.redis.port}; PostgreSQL 127.0.0.1:${stack.postgres.port} (user postgres, database n8n)`,
		`  API: ${target.kind === 'simulator' ? `the simulator at ${target.baseUrl}` : `Vtrix's API at ${target.baseUrl}`}`,
		`  executions: ${stack.main.url}/home/executions   logs: ${path.join(RUN_FOLDER, 'logs')}`,
		'Send a batch (one execution per call, one task per portrait):',
		`  curl -X POST ${stack.main.url}/webhook/${BATCH_WEBHOOK_PATH} -H 'content-type: application/json' -d '${example}'`,
		'Stop everything: npm run stack:down',
	];
	writeState({ ready: true, pids: stack.daemons().map((daemon) => daemon.pid), lines });

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await stack.stop();
		await target.close();
		rmSync(STATE_FILE, { force: true });
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop());
	process.on('SIGINT', () => void stop());
}

async function down(): Promise<void> {
	const state = readState();
	if (!state) {
		console.log('The stack is not running.');
		return;
	}
	if (isSupervisor(state.supervisorPid)) {
		process.kill(state.supervisorPid, 'SIGTERM');
		const deadline = Date.now() + 60_000;
		while (alive(state.supervisorPid) && Date.now() < deadline) await sleep(250);
		if (alive(state.supervisorPid)) process.kill(state.supervisorPid, 'SIGKILL');
	}
	// The supervisor removes the state file once it has stopped everything; if it could not (it was
	// killed, say), what it had started goes now.
	if (existsSync(STATE_FILE)) for (const pid of state.pids) signalGroup(pid, 'SIGKILL');
	rmSync(STATE_FILE, { force: true });
	console.log('The stack is stopped.');
}

const commands: Record<string, () => Promise<void>> = { up, down, supervise };
const command = commands[process.argv[2] ?? ''];
if (!command) {
	console.error('usage: stack.ts up | down');
	process.exit(2);
}
command().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
