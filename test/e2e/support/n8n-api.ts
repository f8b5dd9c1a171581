// Talks to a running n8n the way a user's tools do: its public API with an API key, plus the editor's
// session for what the public API does not serve (binary data).
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import type { N8nCredential } from './n8n';
import type { BinaryEntry } from './raw-output';
import type { N8nServer } from './server';

/** What the API needs of a running n8n: where it answers and the owner to sign in as. */
export type N8nLogin = Pick<N8nServer, 'url' | 'ownerEmail' | 'ownerPassword'>;

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	finished: boolean;
	workflowId: string;
	startedAt?: string;
	stoppedAt?: string | null;
}

export interface ExecutionWithData extends ExecutionSummary {
	data?: { resultData?: { runData?: Record<string, unknown>; error?: { message?: string } } };
}

export interface N8nApi {
	/** Creates a workflow (name, nodes, connections, settings) through the public API; returns the id n8n gave it. */
	createWorkflow(workflow: { name: string; nodes: unknown[]; connections: object; settings?: object }): Promise<string>;
	activateWorkflow(id: string): Promise<void>;
	/** Stores a credential as the editor does (the plain fields, encrypted by n8n); returns the id n8n gave it. */
	createCredential(credential: Omit<N8nCredential, 'id'>): Promise<string>;
	/** What the editor's Test button sends: POST /rest/credentials/test with the form's data (`id` of a stored credential). */
	testCredential(credential: N8nCredential): Promise<CredentialTestResult>;
	/** Every execution of a workflow (all pages), newest first. */
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	getExecution(id: string): Promise<ExecutionWithData>;
	/** Bytes of a binary entry of an execution: inline base64, or stored (`database:…`) and read through the main. */
	readBinary(entry: BinaryEntry): Promise<Buffer>;
	/** POSTs JSON to a production webhook; returns the HTTP status. */
	callWebhook(path: string, body: unknown): Promise<number>;
}

// Generous: on a loaded machine the main took over 30 s to answer a webhook (issue 23), and a POST that
// timed out cannot be sent again.
const TIMEOUT_MS = 120_000;

const NOT_READY_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a request again while n8n answers 503 "Database is not ready!". n8n pings its database every 2 s
 * and, when a ping takes over 5 s (PostgreSQL starved on a loaded machine), refuses every request,
 * webhooks included, before handling it, until a ping succeeds: nothing was done, so sending again is
 * safe. `send` makes a fresh request (and timeout) each time.
 */
async function untilDatabaseReady(send: () => Promise<{ status: number; arrayBuffer: () => Promise<ArrayBuffer> }>): Promise<{ status: number; body: Buffer }> {
	const deadline = Date.now() + NOT_READY_WAIT_MS;
	for (;;) {
		const answer = await send();
		const body = Buffer.from(await answer.arrayBuffer());
		const notReady = answer.status === 503 && body.toString('utf8').includes('Database is not ready');
		if (!notReady || Date.now() > deadline) return { status: answer.status, body };
		await sleep(1000);
	}
}

/** fetch, through untilDatabaseReady; the body is read (and handed on byte for byte). */
async function fetchN8n(url: string, init: () => RequestInit): Promise<Response> {
	let headers = new Headers();
	const { status, body } = await untilDatabaseReady(async () => {
		const response = await fetch(url, init());
		headers = response.headers;
		return response;
	});
	return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}

/**
 * POSTs JSON on a connection of its own. A pooled keep-alive socket that the server has just closed
 * fails a request with "other side closed" (seen under load), and a POST cannot safely be sent again.
 */
function postOnNewConnection(url: string, body: unknown): Promise<{ status: number; arrayBuffer: () => Promise<ArrayBuffer> }> {
	return new Promise((resolve, reject) => {
		const payload = Buffer.from(JSON.stringify(body));
		const request = httpRequest(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length }, timeout: TIMEOUT_MS },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const bytes = Buffer.concat(chunks);
					resolve({ status: response.statusCode ?? 0, arrayBuffer: async () => new Uint8Array(bytes).buffer });
				});
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`POST ${url}: no answer in ${TIMEOUT_MS} ms`)));
		request.on('error', reject);
		request.end(payload);
	});
}

async function check(response: Response, what: string): Promise<Response> {
	if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
	return response;
}

/** Logs in as the owner, creates a public API key with every scope the owner may have, and returns the client. */
export async function connectN8nApi(server: N8nLogin): Promise<N8nApi> {
	const json = { 'content-type': 'application/json' };
	const login = await check(
		await fetchN8n(`${server.url}/rest/login`, () => ({
			method: 'POST',
			headers: json,
			body: JSON.stringify({ emailOrLdapLoginId: server.ownerEmail, password: server.ownerPassword }),
			signal: AbortSignal.timeout(TIMEOUT_MS),
		})),
		'login',
	);
	const cookie = login.headers
		.getSetCookie()
		.map((value) => value.split(';')[0])
		.join('; ');
	const session = { cookie, ...json };
	const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await fetchN8n(`${server.url}/rest${path}`, () => ({
			method,
			headers: session,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(TIMEOUT_MS),
		}));
		return ((await (await check(response, `${method} /rest${path}`)).json()) as { data: T }).data;
	};

	const scopes = await rest<string[]>('GET', '/api-keys/scopes');
	// n8n 2.x wants each of a user's keys to have a label of its own; several clients share one n8n.
	const createKey = async (attemptsLeft = 20): Promise<{ rawApiKey: string }> => {
		try {
			return await rest<{ rawApiKey: string }>('POST', '/api-keys', { label: `e2e-${randomUUID()}`, expiresAt: null, scopes });
		} catch (error) {
			// n8n 1.x's key is a token of the user and the second it was made in: another client asking in
			// the same second (a test file starting beside this one) gets the same key, which the database
			// refuses as a duplicate. Clients that collided try again at different moments.
			if (attemptsLeft <= 1 || !/already an entry/.test(String(error))) throw error;
			await sleep(200 + Math.random() * 1000);
			return createKey(attemptsLeft - 1);
		}
	};
	const { rawApiKey } = await createKey();
	const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await fetchN8n(`${server.url}/api/v1${path}`, () => ({
			method,
			headers: { 'X-N8N-API-KEY': rawApiKey, accept: 'application/json', ...(body === undefined ? {} : json) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(TIMEOUT_MS),
		}));
		return (await (await check(response, `${method} /api/v1${path}`)).json()) as T;
	};

	return {
		createWorkflow: async ({ name, nodes, connections, settings = {} }) =>
			(await api<{ id: string }>('POST', '/workflows', { name, nodes, connections, settings })).id,
		activateWorkflow: async (id) => void (await api('POST', `/workflows/${id}/activate`)),
		createCredential: async (credential) => (await rest<{ id: string }>('POST', '/credentials', credential)).id,
		testCredential: async (credentials) => rest<CredentialTestResult>('POST', '/credentials/test', { credentials }),
		async listExecutions(workflowId) {
			const all: ExecutionSummary[] = [];
			let cursor: string | undefined;
			do {
				const query = new URLSearchParams({ workflowId, limit: '250', ...(cursor ? { cursor } : {}) });
				const page = await api<{ data: ExecutionSummary[]; nextCursor?: string | null }>('GET', `/executions?${query}`);
				all.push(...page.data.map((execution) => ({ ...execution, id: String(execution.id) })));
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return all;
		},
		getExecution: async (id) => api<ExecutionWithData>('GET', `/executions/${id}?includeData=true`),
		async readBinary(entry) {
			if (!entry.id) {
				if (typeof entry.data !== 'string') throw new Error('binary entry has neither id nor inline data');
				return Buffer.from(entry.data, 'base64');
			}
			// The editor's own download route: the worker stored the bytes, the main serves them.
			const query = new URLSearchParams({ id: entry.id, action: 'download' });
			const response = await fetchN8n(`${server.url}/rest/binary-data?${query}`, () => ({ headers: session, signal: AbortSignal.timeout(TIMEOUT_MS) }));
			return Buffer.from(await (await check(response, `binary ${entry.id}`)).arrayBuffer());
		},
		async callWebhook(path, body) {
			return (await untilDatabaseReady(() => postOnNewConnection(`${server.url}/webhook/${path}`, body))).status;
		},
	};
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export interface FinishedExecutionsWait {
	workflowId: string;
	count: number;
	/** Executions to leave out (those that existed before). */
	seen: Set<string>;
	timeoutMs: number;
	/** Default 1 s; a single short run is worth polling faster. */
	pollMs?: number;
}

/**
 * Waits until `count` executions of a workflow that are not in `seen` have finished, and returns them.
 * Throws with the statuses seen when the time runs out.
 */
export async function waitForFinishedExecutions(api: N8nApi, wait: FinishedExecutionsWait): Promise<ExecutionSummary[]> {
	const { workflowId, count, seen, timeoutMs, pollMs = 1000 } = wait;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await api.listExecutions(workflowId)).filter((execution) => !seen.has(execution.id));
		const finished = fresh.filter((execution) => FINISHED.has(execution.status));
		if (finished.length >= count) return finished;
		if (Date.now() > deadline) {
			throw new Error(`${finished.length} of ${count} executions finished in ${timeoutMs} ms; statuses: ${fresh.map((e) => e.status).join(', ')}`);
		}
		await sleep(pollMs);
	}
}
