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
