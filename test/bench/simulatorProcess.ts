/**
 * Runs the simulator in a child process, so the benchmark's memory figures are the node's alone,
 * and drives it through its control API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import axios from 'axios';

import type { RecordedRequest, SimTask, TaskOutcome } from '../simulator';

export interface SimulatorProcess {
	url: string;
	apiKey: string;
	configure(options: Record<string, unknown>): Promise<void>;
	reset(): Promise<void>;
	countRequests(route: string): Promise<number>;
	requests(): Promise<RecordedRequest[]>;
	task(id: string): Promise<SimTask>;
	queueOutcomes(outcomes: TaskOutcome[]): Promise<void>;
	stop(): Promise<void>;
}

export async function startSimulatorProcess(apiKey: string): Promise<SimulatorProcess> {
	const cli = path.join(__dirname, '..', 'simulator', 'cli.ts');
	const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, '--port', '0', '--api-key', apiKey], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let seen = '';
		child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
		child.stdout?.on('data', (chunk: Buffer) => {
			seen += chunk.toString();
			const match = /listening on (http:\/\/\S+)/.exec(seen);
			if (match) resolve(match[1]);
			// Keep draining the per-request log so the child never blocks on a full pipe.
			if (seen.length > 10_000) seen = seen.slice(-1000);
		});
	});
	const control = axios.create({ baseURL: `${url}/__sim` });
	const requests = async () => (await control.get<RecordedRequest[]>('/requests')).data;
	return {
		url,
		apiKey,
		configure: async (options) => void (await control.post('/configure', options)),
		reset: async () => void (await control.post('/reset')),
		requests,
		task: async (id) => (await control.get<SimTask>(`/tasks/${encodeURIComponent(id)}`)).data,
		queueOutcomes: async (outcomes) => void (await control.post('/outcomes', outcomes)),
		countRequests: async (route) => (await requests()).filter((request) => request.route === route).length,
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}
