import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { FaultQueue } from './faults';
import { ImageStore } from './imageStore';
import { applyOptions, resolveOptions } from './options';
import { parseFault, parseOutcome } from './parseControl';
import { RateLimiter } from './rateLimiter';
import { createRequestHandler } from './requestHandler';
import { Sleeper } from './sleeper';
import { TaskStore } from './taskStore';
import type { FaultSpec, RecordedRequest, Route, SimTask, SimulatorHandle, SimulatorOptions, TaskOutcome } from './types';

/** Starts the simulator on loopback; resolves once it listens. */
export async function startSimulator(input: SimulatorOptions = {}): Promise<SimulatorHandle> {
	const options = resolveOptions(input);
	const faults = new FaultQueue();
	const images = new ImageStore();
	const tasks = new TaskStore(options, images);
	const limiter = new RateLimiter();
	const sleeper = new Sleeper();
	const sockets = new Set<Socket>();
	let requests: RecordedRequest[] = [];
	let closing: Promise<void> | undefined;

	const server = http.createServer();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await listen(server, options.port, options.host);
	const port = (server.address() as AddressInfo).port;
	const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

	const handle: SimulatorHandle = {
		url,
		port,
		options,
		get apiKey() {
			return options.apiKey;
		},
		get requests() {
			return requests;
		},
		requestsTo: (route: Route) => requests.filter((request) => request.route === route),
		injectFault: (fault: FaultSpec) => faults.add(parseFault(fault)),
		setNextTaskOutcomes: (...outcomes: TaskOutcome[]) => tasks.queueOutcomes(outcomes.map(parseOutcome)),
		configure: (partial: Partial<SimulatorOptions>) => {
			applyOptions(options, partial, true);
			if ('taskTimeSeed' in partial) tasks.reseed();
		},
		reset: () => {
			requests = [];
			faults.clear();
			tasks.clearOutcomes();
			limiter.reset();
		},
		task: (id: string): SimTask | undefined => tasks.snapshot(id, url),
		imageWorkRunning: () => tasks.imageWorkRunning,
		close: () => {
			closing ??= shutDown();
			return closing;
		},
	};

	server.on('request', createRequestHandler({ options, requests: () => requests, faults, tasks, images, limiter, sleeper, handle: () => handle }));

	async function shutDown(): Promise<void> {
		sleeper.cancelAll();
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		// Hung and keep-alive sockets would keep the server (and jest) alive.
		for (const socket of sockets) socket.destroy();
		await tasks.close();
		await closed;
	}

	return handle;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
}
