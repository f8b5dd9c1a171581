// Drives a real n8n through its CLI: one throwaway user folder per instance, one child process per command.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { readBinaryEntry } from './binary';
import { runCommand, type CommandResult } from './child-process';
import { installCommunityPackage } from './community-package';
import { freePort, n8nEnv, type BinaryMode } from './n8n-env';
import { executionError, isFinishedRun, parseRawOutput, type BinaryEntry } from './raw-output';
import type { N8nRuntime } from './runtime';

export { n8nRuntime, type N8nRuntime, type N8nVersionKey } from './runtime';
export {
	executionError,
	nodeOutput,
	nodeRunEnd,
	parseRawOutput,
	type BinaryEntry,
	type ExecutionErrorInfo,
	type OutputItem,
} from './raw-output';
export { ENCRYPTION_KEY, type BinaryMode } from './n8n-env';

export interface N8nInstanceOptions {
	runtime: N8nRuntime;
	/** Path of the packed package (`npm pack`), installed into `<userFolder>/.n8n/nodes`. */
	packageTarball: string;
	/** Extra environment for every n8n command; wins over the defaults. */
	env?: Record<string, string>;
	/** N8N_DEFAULT_BINARY_DATA_MODE; unset keeps n8n's default (1.x inline base64, 2.x filesystem). */
	binaryMode?: BinaryMode;
	/** Limit for one n8n command (default 120 s); the command's process group is killed past it. */
	commandTimeoutMs?: number;
	/** A lasting N8N_USER_FOLDER to use (created when missing) instead of a throwaway one; dispose() keeps it. */
	userFolder?: string;
}

export interface N8nCredential {
	id: string;
	name: string;
	type: string;
	/** Plain fields; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

export interface ExecuteResult extends CommandResult {
	/** The run printed by `--rawOutput`, when stdout held one. */
	run?: unknown;
	/** n8n crashed on its way out after printing a finished run; exitCode was taken from the run (see below). */
	crashedAfterRun?: boolean;
}

export interface N8nInstance {
	/** N8N_USER_FOLDER (n8n keeps its data in `<userFolder>/.n8n`); a throwaway one is removed by dispose(). */
	userFolder: string;
	/** Name of the installed community package, e.g. 'n8n-nodes-spark-portrait'. */
	packageName: string;
	importCredentials(credentials: N8nCredential[]): Promise<void>;
	/** The workflow must carry an `id` of at most 21 characters and start with a manual trigger. */
	importWorkflow(workflow: object): Promise<void>;
	/** Several workflows in one `n8n import:workflow` (one n8n start instead of one each). */
	importWorkflows(workflows: object[]): Promise<void>;
	execute(workflowId: string): Promise<ExecuteResult>;
	runWorkflow(workflow: object): Promise<ExecuteResult>;
	/** Bytes of a binary entry from nodeOutput(), inline or in this instance's binary-data folder. */
	readBinary(entry: BinaryEntry): Promise<Buffer>;
	dispose(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_WORKFLOW_ID_LENGTH = 21;

function workflowId(workflow: object): string {
	const id: unknown = (workflow as { id?: unknown }).id;
	if (typeof id !== 'string' || id === '' || id.length > MAX_WORKFLOW_ID_LENGTH) {
		throw new Error(`workflow needs a string id of 1 to ${MAX_WORKFLOW_ID_LENGTH} characters, got ${JSON.stringify(id)}`);
	}
	return id;
}

function describeFailure(what: string, result: CommandResult): Error {
	return new Error(`${what} failed (exit ${result.exitCode})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
}

/** Creates a user folder with the package installed; the database is created by the first command. */
export async function createN8nInstance(options: N8nInstanceOptions): Promise<N8nInstance> {
	const { runtime } = options;
	const timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
	const throwaway = options.userFolder === undefined;
	const userFolder = options.userFolder
		? path.resolve(options.userFolder)
		: await mkdtemp(path.join(tmpdir(), `n8n-e2e-${runtime.key}-`));
	const importDir = path.join(userFolder, 'imports');
	const removeThrowaway = async () => {
		if (throwaway) await rm(userFolder, { recursive: true, force: true, maxRetries: 3 });
	};
	let packageName: string;
	try {
		// In a lasting folder this replaces the version installed before.
		packageName = await installCommunityPackage(path.join(userFolder, '.n8n', 'nodes'), options.packageTarball);
		await mkdir(importDir, { recursive: true });
	} catch (error) {
		await removeThrowaway();
		throw error;
	}

	// One command at a time: they share one SQLite file.
	let queue: Promise<unknown> = Promise.resolve();
	let disposed = false;
	let importCount = 0;

	function serial<T>(task: () => Promise<T>): Promise<T> {
		if (disposed) return Promise.reject(new Error(`n8n instance ${userFolder} was disposed`));
		const next = queue.then(task, task);
		queue = next.catch(() => undefined);
		return next;
	}

	async function n8n(args: string[]): Promise<CommandResult> {
		const env = n8nEnv({
			runtime,
			userFolder,
			brokerPort: await freePort(),
			binaryMode: options.binaryMode,
			env: options.env,
		});
		return runCommand(runtime.nodeBin, [runtime.n8nBin, ...args], { cwd: userFolder, env, timeoutMs });
	}

	async function importFile(command: string, content: unknown): Promise<void> {
		const file = path.join(importDir, `${command.replace(':', '-')}-${++importCount}.json`);
		await writeFile(file, JSON.stringify(content));
		try {
			const result = await n8n([command, `--input=${file}`]);
			// Some failures exit with code 0, so the success line must be there too. import:workflow also
			// starts the expression engine, so it may hit the exit crash described in execute() below.
			const exitedWell = result.exitCode === 0 || result.signal === 'SIGSEGV';
			if (!exitedWell || !/Successfully imported/.test(result.stdout)) {
				throw describeFailure(`n8n ${command}`, result);
			}
		} finally {
			await rm(file, { force: true });
		}
	}

	async function execute(id: string): Promise<ExecuteResult> {
		const result = await n8n(['execute', `--id=${id}`, '--rawOutput']);
		const run = parseRawOutput(result.stdout);
		// `n8n execute` calls process.exit() without disposing its isolated-vm expression engine, and
		// isolated-vm then often segfaults (about 1 run in 3 here, both versions) after the run was printed
		// and stored. Such a run is complete, so the exit code n8n meant is read from it.
		if (result.signal === 'SIGSEGV' && isFinishedRun(run)) {
			const succeeded = (run as { status?: unknown }).status === 'success' && !executionError(run);
			return { ...result, exitCode: succeeded ? 0 : 1, run, crashedAfterRun: true };
		}
		return { ...result, run };
	}

	return {
		userFolder,
		packageName,
		importCredentials: (credentials) => serial(() => importFile('import:credentials', credentials)),
		importWorkflow: (workflow) =>
			serial(async () => {
				workflowId(workflow);
				await importFile('import:workflow', workflow);
			}),
		importWorkflows: (workflows) =>
			serial(async () => {
				workflows.forEach(workflowId);
				if (workflows.length > 0) await importFile('import:workflow', workflows);
			}),
		execute: (id) => serial(() => execute(id)),
		runWorkflow: (workflow) =>
			serial(async () => {
				const id = workflowId(workflow);
				await importFile('import:workflow', workflow);
				return execute(id);
			}),
		readBinary: (entry) => readBinaryEntry(userFolder, entry),
		dispose: async () => {
			if (disposed) return;
			disposed = true;
			await queue;
			await removeThrowaway();
		},
	};
}
