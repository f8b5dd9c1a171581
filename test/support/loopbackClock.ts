import { subscribe, unsubscribe } from 'node:diagnostics_channel';

import type { SimulatorHandle } from '../simulator';
import { FakeClock } from './fakeClock';

/**
 * Virtual time for a run of the node over real HTTP against the simulator: the node's waits and the
 * simulator's task times run on one FakeClock, which moves only while no HTTP request of this process
 * is in flight and the simulator has no image work running. So a request takes no time, a task takes
 * exactly its duration, and a schedule's reads land where its logic puts them, however busy the machine.
 * Requests that never end (hung faults) would stop the clock: not for such tests.
 */
export interface LoopbackClock {
	clock: FakeClock;
	/** The simulator's `now` option. */
	now: () => number;
	/** Stops counting requests (afterAll). */
	dispose(): void;
}

const STARTED = 'http.client.request.start';
const ENDED = ['http.client.response.finish', 'http.client.request.error'];

export function loopbackClock(simulator: () => SimulatorHandle): LoopbackClock {
	// The requests themselves, not a count: a request that began before this clock (another file's, in
	// a suite) and ends during its run must not make one of this run's requests look finished.
	const inFlight = new Set<unknown>();
	const started = (message: unknown) => {
		inFlight.add(requestOf(message));
	};
	const ended = (message: unknown) => {
		inFlight.delete(requestOf(message));
	};
	subscribe(STARTED, started);
	for (const name of ENDED) subscribe(name, ended);
	const clock = new FakeClock(() => inFlight.size > 0 || simulator().imageWorkRunning());
	return {
		clock,
		now: () => clock.now(),
		dispose: () => {
			unsubscribe(STARTED, started);
			for (const name of ENDED) unsubscribe(name, ended);
		},
	};
}

function requestOf(message: unknown): unknown {
	return typeof message === 'object' && message !== null && 'request' in message ? message.request : undefined;
}
