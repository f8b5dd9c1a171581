/**
 * Shared set-up of the integration tests: a simulator on loopback and a runner that executes the
 * Spark Portrait node through n8n-core's WorkflowExecute with the simulator as its credential.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import * as n8nWorkflow from 'n8n-workflow';

import type { RouteOptions } from '../../nodes/SparkPortrait/actions/router';
import { abortableSleepOf, wallClock } from '../../nodes/SparkPortrait/transport/clock';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { runNode, type RunNodeResult } from '../harness';
import { startRecorder, startSimulator, type RecorderHandle, type RecorderReply, type SimulatorHandle, type SimulatorOptions } from '../simulator';

export const API_KEY = 'sim-secret-key-4f1d2a';

/**
 * The credential as a new user fills it in: the key and the Base URL only. Its paths and Request
 * Format are the credential's defaults (Vtrix's), which the simulator serves by default.
 */
export function credentialFor(sim: SimulatorHandle, overrides: Record<string, string> = {}): ICredentialDataDecryptedObject {
	return { apiKey: sim.apiKey, baseUrl: sim.url, ...overrides };
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
	return await startSimulator({ apiKey: API_KEY, taskDurationMs: 400, ...options });
}

/**
 * One server for a test file: started before the first test, made ready before each, closed after
 * the last. Read it through the returned function (it exists only once the file's tests run).
 */
function useServer<T extends { close(): Promise<void> }>(start: () => Promise<T>, beforeEachTest: (server: T) => void): () => T {
	let server: T | undefined;
	beforeAll(async () => {
		server = await start();
	});
	afterAll(async () => {
		await server?.close();
	});
	beforeEach(() => {
		if (server) beforeEachTest(server);
	});
	return () => {
		if (!server) throw new Error('the server is not started yet');
		return server;
	};
}

/**
 * The simulator of a test file, reset (recorded requests, faults, outcomes) before each test; a test
 * that let it take flat fields never leaves it so for the next one.
 */
export function useTestSimulator(options: SimulatorOptions = {}): () => SimulatorHandle {
	return useServer(async () => await startTestSimulator(options), (sim) => {
		sim.reset();
		sim.configure({ acceptFormats: options.acceptFormats });
	});
}

/** Simulators a test file starts as it goes, each on a port (an origin) of its own; all closed after the last test. */
export function useFreshSimulators(): (options: SimulatorOptions) => Promise<SimulatorHandle> {
	const sims: SimulatorHandle[] = [];
	afterAll(async () => {
		await Promise.all(sims.map(async (sim) => await sim.close()));
	});
	return async (options) => {
		const sim = await startTestSimulator(options);
		sims.push(sim);
		return sim;
	};
}

/** A second listener (another origin) for a test file, emptied and answering `reply` again before each test. */
export function useTestRecorder(reply?: RecorderReply): () => RecorderHandle {
	return useServer(async () => await startRecorder(reply), (recorder) => {
		recorder.reset();
		if (reply) recorder.setReply(reply);
	});
}

/** The description of the error a run ended with (where n8n errors say what to do next). */
export function errorDescription(result: RunNodeResult): string {
	return String((result.error as Error & { description?: unknown })?.description ?? '');
}

export interface SparkRunOptions {
	parameters: INodeParameters;
	inputItems?: IDataObject[];
	continueOnFail?: boolean;
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	credential?: ICredentialDataDecryptedObject;
	abortAfterMs?: number;
	/**
	 * What the node is built with (router.ts): by default none, as n8n builds it, so every run of a
	 * test file shares what the process learns (request budget, task times), as an n8n process does.
	 * A test that needs a run on its own passes a clock of its own (what is learned is kept per clock).
	 */
	node?: RouteOptions;
}

/**
 * Node options for a run that must not share what the process learned with the file's other runs
 * (a 30 s Retry-After holds every request of a process to that API): a clock of its own, as if the
 * run were the first of a new process.
 */
export function ownProcess(): RouteOptions {
	return { clock: wallClock(abortableSleepOf(n8nWorkflow)) };
}

/**
 * A run the test cancelled: n8n records it as canceled, or, when the node's own error lands
 * first, as that error, which then says the execution was cancelled.
 */
export function expectCancelled(result: RunNodeResult): void {
	if (result.status === 'canceled') return;
	expect(result.error?.message).toMatch(/cancelled/);
}

export async function runSpark(sim: SimulatorHandle, options: SparkRunOptions): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new SparkPortrait(options.node),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: options.credential ?? credentialFor(sim) },
		parameters: options.parameters,
		inputItems: options.inputItems,
		continueOnFail: options.continueOnFail,
		retryOnFail: options.retryOnFail,
		abortAfterMs: options.abortAfterMs,
	});
}

export function fixtureUrl(sim: SimulatorHandle, name = 'portrait.jpg'): string {
	return `${sim.url}/fixtures/${name}`;
}

/** Every string an output, error or description holds, to look for secrets in. */
export function everyText(result: RunNodeResult): string {
	const parts: string[] = [JSON.stringify(result.items.map((item) => item.json))];
	if (result.error) {
		const error = result.error as Error & { description?: unknown; context?: unknown };
		parts.push(error.message, String(error.description ?? ''), JSON.stringify(error.context ?? {}), String(error.stack ?? ''));
	}
	parts.push(JSON.stringify(result.runData));
	return parts.join('\n');
}

/** Waits until the simulator reports the task in a terminal state (image work can lag on a busy machine). */
export async function settledTask(sim: SimulatorHandle, taskId: string, limitMs = 20_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!['completed', 'failed'].includes(sim.task(taskId)?.status ?? '')) {
		if (Date.now() > deadline) throw new Error(`task ${taskId} did not settle within ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}
