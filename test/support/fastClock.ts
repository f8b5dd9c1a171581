import { realClock, type Clock } from '../../nodes/SparkPortrait/transport/clock';

/**
 * The wall clock with short waits, for tests over real HTTP: every wait the node asks for (a retry
 * back-off, a Retry-After, a poll gap) lasts 1/`factor` of it, cancellable as usual, while now()
 * stays real so wait timeouts and the simulator's task durations still line up. The FakeClock
 * cannot serve here: its instant time would race ahead of a simulator that runs on real time.
 */
export class FastClock implements Clock {
	/** Every wait asked for, in ms, before shortening. */
	readonly sleeps: number[] = [];

	constructor(private readonly factor = 50) {}

	now(): number {
		return realClock.now();
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		this.sleeps.push(ms);
		await realClock.sleep(ms / this.factor, signal);
	}
}
