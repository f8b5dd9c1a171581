import type { Clock } from '../../nodes/SparkPortrait/transport/clock';
import { CancelledError } from '../../nodes/SparkPortrait/transport/clock';

/** A clock whose sleeps advance time at once and are recorded, for exact polling schedules. */
export class FakeClock implements Clock {
	time = 0;

	readonly sleeps: number[] = [];

	now(): number {
		return this.time;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new CancelledError();
		this.sleeps.push(ms);
		this.time += Math.max(0, ms);
		await Promise.resolve();
		if (signal?.aborted) throw new CancelledError();
	}
}

interface Timer {
	at: number;
	order: number;
	resolve: () => void;
}

/**
 * A clock for many waits at once (the items of a batch): sleeps end in time order, and time only
 * moves when every waiter is asleep, so concurrent schedules interleave exactly as in real time.
 */
export class TimelineClock implements Clock {
	time = 0;

	private timers: Timer[] = [];

	private order = 0;

	now(): number {
		return this.time;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new CancelledError();
		await new Promise<void>((resolve) => this.timers.push({ at: this.time + Math.max(0, ms), order: this.order++, resolve }));
		if (signal?.aborted) throw new CancelledError();
	}

	/** Runs `work` to its end, moving time to the next sleep's end whenever nothing else can run. */
	async run<T>(work: Promise<T>): Promise<T> {
		let settled = false;
		const done = work.finally(() => {
			settled = true;
		});
		for (;;) {
			// Let every promise chain that can move do so before time jumps.
			for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
			if (settled) return await done;
			if (this.timers.length === 0) throw new Error('TimelineClock: nothing is asleep, yet the work has not ended');
			this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = this.timers.shift() as Timer;
			this.time = Math.max(this.time, next.at);
			next.resolve();
		}
	}
}
