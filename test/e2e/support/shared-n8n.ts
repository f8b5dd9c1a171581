/**
 * The n8n the end-to-end files run their workflows in: one long-lived `n8n start` per major, shared by
 * every file, so n8n starts (loads its nodes and the package, migrates its database) twice per test run
 * rather than twice per case. The e2e project's globalSetup starts both in the background and its
 * globalTeardown stops them; a file asks for one with `sharedN8n(key)`, which waits until it answers.
 * A file that needs n8n set up otherwise (another binary data mode) starts its own with `ownN8n`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { tail } from './child-process';
import { installCommunityPackage } from './community-package';
import { n8nRuntime, type BinaryMode, type N8nVersionKey } from './n8n';
import { freePort } from './n8n-env';
import { packPackage } from './pack';
import { DEFAULT_OWNER, startN8nServer, type N8nServer } from './server';
import { connectWorkflowRunner, type RunningN8n, type WorkflowRunner } from './workflow-runner';

/** Where the globalSetup tells the test files what it started (jest hands its environment to them). */
const STATE_ENV = 'SPARK_E2E_SHARED_N8N';
const VERSIONS: N8nVersionKey[] = ['n8n1', 'n8n2'];
// Generous: on a loaded 2-core machine a first start (migrations, every node loaded) took 45 s.
const START_TIMEOUT_MS = 300_000;

interface SharedState {
	folder: string;
	/** The packed package, or why it could not be packed. */
	tarball: string | { error: string };
	n8n: Record<N8nVersionKey, RunningN8n & { errorFile: string }>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function bootServer(key: N8nVersionKey, folder: string, tarball: string, port: number, env: Record<string, string> = {}): Promise<N8nServer> {
	const runtime = n8nRuntime(key);
	await installCommunityPackage(path.join(folder, '.n8n', 'nodes'), tarball);
	return startN8nServer({ runtime, userFolder: folder, port, env, logFile: path.join(folder, 'n8n.log'), startTimeoutMs: START_TIMEOUT_MS });
}

/**
 * For the globalSetup: packs the package and starts n8n 1.x and 2.x without waiting for them (the files
 * that need no n8n run meanwhile). Resolves with the teardown. Failures (no build, no install) are kept
 * for the files that ask, so a run of files that need no n8n is not stopped by them.
 */
export async function startSharedN8n(): Promise<() => Promise<void>> {
	const folder = await mkdtemp(path.join(tmpdir(), 'spark-e2e-shared-'));
	let tarball: SharedState['tarball'];
	try {
		tarball = packPackage(folder);
	} catch (error) {
		tarball = { error: errorText(error) };
	}
	const state: SharedState = { folder, tarball, n8n: {} as SharedState['n8n'] };
	const boots: Array<Promise<N8nServer | undefined>> = [];
	for (const key of VERSIONS) {
		const userFolder = path.join(folder, key);
		const entry = {
			url: `http://127.0.0.1:${await freePort()}`,
			ownerEmail: DEFAULT_OWNER.email,
			ownerPassword: DEFAULT_OWNER.password,
			userFolder,
			logFile: path.join(userFolder, 'n8n.log'),
			errorFile: path.join(folder, `${key}.error`),
		};
		state.n8n[key] = entry;
		const boot = async () => {
			if (typeof tarball !== 'string') throw new Error(tarball.error);
			return bootServer(key, userFolder, tarball, Number(new URL(entry.url).port));
		};
		boots.push(
			boot().catch(async (error: unknown) => {
				await writeFile(entry.errorFile, errorText(error));
				return undefined;
			}),
		);
	}
	process.env[STATE_ENV] = JSON.stringify(state);
	return async () => {
		const servers = await Promise.all(boots);
		await Promise.all(servers.map((server) => server?.stop()));
		await rm(folder, { recursive: true, force: true, maxRetries: 3 });
	};
}

function sharedState(): SharedState {
	const text = process.env[STATE_ENV];
	if (!text) throw new Error(`${STATE_ENV} is not set: run the e2e tests through jest (the e2e project's globalSetup starts n8n)`);
	return JSON.parse(text) as SharedState;
}

/** The packed package the globalSetup made (what users install). */
export function sharedTarball(): string {
	const { tarball } = sharedState();
	if (typeof tarball !== 'string') throw new Error(`the package could not be packed: ${tarball.error}`);
	return tarball;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function canLogIn(n8n: RunningN8n): Promise<boolean> {
	try {
		const response = await fetch(`${n8n.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: n8n.ownerEmail, password: n8n.ownerPassword }),
			signal: AbortSignal.timeout(5_000),
		});
		// While it starts, n8n answers every route with 200 and a plain-text "n8n is starting up".
		const body = (await response.json()) as { data?: { email?: unknown } };
		return response.status === 200 && body.data?.email === n8n.ownerEmail;
	} catch {
		return false;
	}
}

/** The shared n8n of this major, once it answers (with its owner set up), as a workflow runner. */
export async function sharedN8n(key: N8nVersionKey): Promise<WorkflowRunner> {
	const n8n = sharedState().n8n[key];
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (!(await canLogIn(n8n))) {
		if (existsSync(n8n.errorFile)) throw new Error(`the shared ${key} did not start: ${readFileSync(n8n.errorFile, 'utf8')}`);
		if (Date.now() > deadline) {
			const log = existsSync(n8n.logFile) ? tail(readFileSync(n8n.logFile, 'utf8')) : '(no log)';
			throw new Error(`the shared ${key} at ${n8n.url} did not answer in ${START_TIMEOUT_MS} ms:\n${log}`);
		}
		await sleep(500);
	}
	return connectWorkflowRunner(n8n);
}

export interface OwnN8nOptions {
	/** N8N_DEFAULT_BINARY_DATA_MODE; unset keeps n8n's default (1.x inline base64, 2.x filesystem). */
	binaryMode?: BinaryMode;
}

/** An n8n of this file's own, for a set-up the shared ones do not have; dispose() stops it and removes its folder. */
export async function ownN8n(key: N8nVersionKey, options: OwnN8nOptions = {}): Promise<WorkflowRunner> {
	const userFolder = await mkdtemp(path.join(tmpdir(), `spark-e2e-${key}-`));
	const env: Record<string, string> = options.binaryMode ? { N8N_DEFAULT_BINARY_DATA_MODE: options.binaryMode } : {};
	const removeFolder = () => rm(userFolder, { recursive: true, force: true, maxRetries: 3 });
	let server: N8nServer;
	try {
		server = await bootServer(key, userFolder, sharedTarball(), await freePort(), env);
	} catch (error) {
		await removeFolder();
		throw error;
	}
	const stop = async () => {
		await server.stop();
		await removeFolder();
	};
	try {
		return await connectWorkflowRunner({ ...server, userFolder, logFile: path.join(userFolder, 'n8n.log') }, stop);
	} catch (error) {
		await stop();
		throw error;
	}
}
