// Runs `n8n start` with a ready owner account, for browser checks and a local quick start.
import { mkdir } from 'node:fs/promises';

import { tail } from './child-process';
import { startDaemon, type Daemon } from './daemon';
import { freePort, n8nEnv } from './n8n-env';
import type { N8nRuntime } from './runtime';

export interface N8nOwner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}

export interface N8nServerOptions {
	runtime: N8nRuntime;
	/** N8N_USER_FOLDER (n8n keeps its data in `<userFolder>/.n8n`); created when missing, kept on stop. */
	userFolder: string;
	/** Default 5678. */
	port?: number;
	/** Default 127.0.0.1: nothing outside this machine should reach a dev instance. */
	listenAddress?: string;
	env?: Record<string, string>;
	/** Account created on a fresh instance, or logged in with on a folder set up before. */
	owner?: N8nOwner;
	/** Limit for n8n to answer (default 120 s; the first start also runs the database migrations). */
	startTimeoutMs?: number;
	/** Receives n8n's stdout and stderr, e.g. `(text) => process.stdout.write(text)`. */
	onOutput?: (text: string) => void;
	/** Also append n8n's output to this file. */
	logFile?: string;
}

export interface N8nServer {
	url: string;
	ownerEmail: string;
	ownerPassword: string;
	/** The `n8n start` process: its output, and stop(signal) for other signals than SIGTERM. */
	daemon: Daemon;
	stop(): Promise<void>;
}

// n8n's rule: 8 to 64 characters with a digit and an upper-case letter.
export const DEFAULT_OWNER: Required<N8nOwner> = {
	email: 'owner@example.com',
	password: 'SparkPortrait1',
	firstName: 'Local',
	lastName: 'Owner',
};

const POLL_MS = 250;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_SHOWN = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function request(url: string, body?: object): Promise<{ status: number; json?: unknown }> {
	const response = await fetch(url, {
		method: body ? 'POST' : 'GET',
		headers: body ? { 'content-type': 'application/json' } : undefined,
		body: body ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(5_000),
	});
	const text = await response.text();
	try {
		return { status: response.status, json: JSON.parse(text) as unknown };
	} catch {
		return { status: response.status };
	}
}

/** Whether the owner account is still to be created, once the REST API answers; undefined before. */
async function ownerSetupPending(url: string): Promise<boolean | undefined> {
	try {
		if ((await request(`${url}/healthz`)).status !== 200) return undefined;
		// /healthz answers while migrations still run; the editor needs /rest/settings.
		const settings = await request(`${url}/rest/settings`);
		const pending = (settings.json as { data?: { userManagement?: { showSetupOnFirstLoad?: unknown } } } | undefined)
			?.data?.userManagement?.showSetupOnFirstLoad;
		return settings.status === 200 && typeof pending === 'boolean' ? pending : undefined;
	} catch {
		return undefined;
	}
}

async function ensureOwner(url: string, owner: Required<N8nOwner>, setupPending: boolean): Promise<void> {
	if (setupPending) {
		const setup = await request(`${url}/rest/owner/setup`, owner);
		if (setup.status !== 200) throw new Error(`owner setup failed (${setup.status}): ${JSON.stringify(setup.json)}`);
		return;
	}
	const login = await request(`${url}/rest/login`, { emailOrLdapLoginId: owner.email, password: owner.password });
	if (login.status !== 200) {
		throw new Error(
			`this user folder already has an owner that ${owner.email} / the given password cannot log in as; ` +
				'use a fresh folder or run `n8n user-management:reset` with the same N8N_USER_FOLDER',
		);
	}
}

// Where a browser on this machine reaches an address n8n listens on.
function browserHost(listenAddress: string): string {
	if (listenAddress === '0.0.0.0' || listenAddress === '::') return '127.0.0.1';
	return listenAddress.includes(':') ? `[${listenAddress}]` : listenAddress;
}

/** Starts `n8n start` and resolves once the editor answers and the owner can log in. */
export async function startN8nServer(options: N8nServerOptions): Promise<N8nServer> {
	const { runtime, userFolder } = options;
	const port = options.port ?? 5678;
	const listenAddress = options.listenAddress ?? '127.0.0.1';
	const owner = { ...DEFAULT_OWNER, ...options.owner };
	const url = `http://${browserHost(listenAddress)}:${port}`;
	await mkdir(userFolder, { recursive: true });

	const env = n8nEnv({
		runtime,
		userFolder,
		brokerPort: await freePort(),
		env: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: listenAddress,
			// Plain http: a secure cookie would lock out a browser that opens http://127.0.0.1.
			N8N_SECURE_COOKIE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...options.env,
		},
	});
	const daemon = startDaemon({
		name: `n8n ${runtime.version} main`,
		command: runtime.nodeBin,
		args: [runtime.n8nBin, 'start'],
		cwd: userFolder,
		env,
		onOutput: options.onOutput,
		logFile: options.logFile,
	});
	const stop = () => daemon.stop('SIGTERM', STOP_TIMEOUT_MS);

	try {
		const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
		let setupPending: boolean | undefined;
		while (setupPending === undefined) {
			if (daemon.hasExited()) throw new Error('n8n exited while starting');
			if (Date.now() > deadline) throw new Error('n8n did not answer in time');
			setupPending = await ownerSetupPending(url);
			if (setupPending === undefined) await sleep(POLL_MS);
		}
		await ensureOwner(url, owner, setupPending);
	} catch (error) {
		await stop();
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(`n8n ${runtime.version} at ${url}: ${message}\n--- n8n output (end) ---\n${tail(daemon.output(), OUTPUT_SHOWN)}`);
	}
	return { url, ownerEmail: owner.email, ownerPassword: owner.password, daemon, stop };
}
