/**
 * Runs the end-to-end workflows in a long-lived n8n (`n8n start`) instead of one `n8n execute` process
 * per run: each workflow's Manual Trigger becomes a Webhook trigger, the workflow is created and
 * activated through n8n's public API, a call to its production webhook starts it, and the finished
 * execution is read back through the same API with its data. Credentials are stored the way the editor
 * stores them; n8n gives workflows and credentials ids of its own, so the ids the tests use are mapped.
 */
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';

import { readBinaryEntry } from './binary';
import { withFileLock } from './file-lock';
import type { ExecuteResult, N8nCredential } from './n8n';
import { connectN8nApi, waitForFinishedExecutions, type CredentialTestResult, type N8nLogin } from './n8n-api';
import { executionError, type BinaryEntry } from './raw-output';

/** A running n8n whose user folder and log this process can read. */
export interface RunningN8n extends N8nLogin {
	/** N8N_USER_FOLDER: filesystem-mode binary data is read from it. */
	userFolder: string;
	/** Where the server's output goes: each run's result carries what the server printed meanwhile. */
	logFile: string;
}

export interface WorkflowRunner {
	userFolder: string;
	/** Stores credentials; workflows refer to them by the ids given here. */
	importCredentials(credentials: N8nCredential[]): Promise<void>;
	/** The workflow needs an `id` (the tests' handle for it) and one Manual Trigger, where the run starts. */
	importWorkflow(workflow: object): Promise<void>;
	/** Starts the workflow and resolves with its finished execution, shaped like `n8n execute --rawOutput`'s result. */
	execute(workflowId: string): Promise<ExecuteResult>;
	runWorkflow(workflow: object): Promise<ExecuteResult>;
	readBinary(entry: BinaryEntry): Promise<Buffer>;
	/** The editor's Test button on a stored credential (its `id` as given to importCredentials) with these fields. */
	testCredential(credential: N8nCredential): Promise<CredentialTestResult>;
	dispose(): Promise<void>;
}

interface WorkflowJson {
	id?: unknown;
	name?: string;
	nodes: Array<{ type: string; credentials?: Record<string, { id: string; name: string }>; [key: string]: unknown }>;
	connections: object;
	settings?: object;
}

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const RUN_TIMEOUT_MS = 180_000;
const POLL_MS = 100;
const REGISTRATION_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function handleOf(workflow: WorkflowJson): string {
	if (typeof workflow.id !== 'string' || workflow.id === '') throw new Error(`workflow needs a string id, got ${JSON.stringify(workflow.id)}`);
	return workflow.id;
}

/** The Manual Trigger replaced by a Webhook trigger on `webhookPath` that answers at once and runs the rest. */
function startedByWebhook(workflow: WorkflowJson, webhookPath: string): WorkflowJson['nodes'] {
	const triggers = workflow.nodes.filter((node) => node.type === MANUAL_TRIGGER);
	if (triggers.length !== 1) throw new Error(`workflow ${String(workflow.id)} needs exactly one Manual Trigger, has ${triggers.length}`);
	return workflow.nodes.map((node) =>
		node.type !== MANUAL_TRIGGER
			? node
			: {
					...node,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				},
	);
}

/** Bytes appended to a file since `offset`. */
async function readFrom(file: string, offset: number): Promise<string> {
	const handle = await open(file, 'r');
	try {
		const { size } = await handle.stat();
		const buffer = Buffer.alloc(Math.max(0, size - offset));
		await handle.read(buffer, 0, buffer.length, offset);
		return buffer.toString('utf8');
	} finally {
		await handle.close();
	}
}

const sizeOf = async (file: string) => (await stat(file).catch(() => ({ size: 0 }))).size;

export async function connectWorkflowRunner(n8n: RunningN8n, onDispose: () => Promise<void> = async () => undefined): Promise<WorkflowRunner> {
	const api = await connectN8nApi(n8n);
	const credentialIds = new Map<string, string>();
	const workflows = new Map<string, { id: string; webhookPath: string }>();
	let runs = 0;

	const withStoredCredentials = (nodes: WorkflowJson['nodes']) =>
		nodes.map((node) => {
			if (!node.credentials) return node;
			const credentials = Object.fromEntries(
				Object.entries(node.credentials).map(([type, ref]) => [type, { ...ref, id: credentialIds.get(ref.id) ?? ref.id }]),
			);
			return { ...node, credentials };
		});

	async function importWorkflow(workflow: object): Promise<void> {
		const json = workflow as WorkflowJson;
		const handle = handleOf(json);
		const webhookPath = `e2e-${handle}-${randomUUID()}`;
		const id = await api.createWorkflow({
			// Names need not be unique in n8n, but a shared instance is easier to read with the handle in them.
			name: `${json.name ?? handle} [${handle}]`,
			nodes: withStoredCredentials(startedByWebhook(json, webhookPath)),
			connections: json.connections,
			settings: json.settings ?? {},
		});
		await api.activateWorkflow(id);
		workflows.set(handle, { id, webhookPath });
	}

	/**
	 * Calls the workflow's webhook. n8n 2.x registers an activated workflow's webhook a moment after the
	 * activation call returns, and answers 404 (nothing started) until then, so a 404 is sent again.
	 */
	async function startRun(handle: string, webhookPath: string): Promise<void> {
		const deadline = Date.now() + REGISTRATION_WAIT_MS;
		for (;;) {
			const status = await api.callWebhook(webhookPath, { run: ++runs });
			if (status === 200) return;
			if (status !== 404 || Date.now() > deadline) throw new Error(`the webhook of workflow ${handle} answered ${status}`);
			await sleep(POLL_MS);
		}
	}

	async function execute(handle: string): Promise<ExecuteResult> {
		const workflow = workflows.get(handle);
		if (!workflow) throw new Error(`workflow ${handle} was not imported`);
		const seen = new Set((await api.listExecutions(workflow.id)).map((execution) => execution.id));
		const logStart = await sizeOf(n8n.logFile);
		await startRun(handle, workflow.webhookPath);
		const [finished] = await waitForFinishedExecutions(api, { workflowId: workflow.id, count: 1, seen, timeoutMs: RUN_TIMEOUT_MS, pollMs: POLL_MS });
		const run = await api.getExecution(finished.id);
		const succeeded = run.status === 'success' && !executionError(run);
		// What `n8n execute --rawOutput` printed: the server's log lines of the run, then the run itself.
		const stdout = `${await readFrom(n8n.logFile, logStart)}\n${JSON.stringify(run, null, 2)}\n`;
		return { exitCode: succeeded ? 0 : 1, stdout, stderr: '', run };
	}

	return {
		userFolder: n8n.userFolder,
		async importCredentials(credentials) {
			for (const { id, ...credential } of credentials) credentialIds.set(id, await api.createCredential(credential));
		},
		importWorkflow,
		execute,
		async runWorkflow(workflow) {
			await importWorkflow(workflow);
			return execute(handleOf(workflow as WorkflowJson));
		},
		readBinary: (entry) => readBinaryEntry(n8n.userFolder, entry),
		// One at a time per n8n, across jest workers: n8n's tester (1.123 and 2.41) keeps the node it tests
		// with in one table per process, keyed by node type, and a test that ends removes the entry another
		// test of the same node's credentials is still using, which then fails with "Node not found".
		testCredential: (credential) =>
			withFileLock(path.join(n8n.userFolder, 'credential-test.lock'), () =>
				api.testCredential({ ...credential, id: credentialIds.get(credential.id) ?? credential.id }),
			),
		dispose: onDispose,
	};
}
