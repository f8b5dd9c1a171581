import type { Clock } from '../../nodes/SparkPortrait/transport/clock';
import { CancelledError } from '../../nodes/SparkPortrait/errors/failures';

interface FakeTimer {
	at: number;
	order: number;
	ms: number;
	fire(): void;
}

/**
 * Virtual time for the poller and the retry loop. Sleeps are timers on a fake timeline: whenever
 * the code under test has nothing left to do but wait (the microtask queue is empty), time jumps
 * to the earliest timer and fires it. So concurrent waits (a read raced against a deadline) run in
 * the order real time would give them, a hanging read simply never settles, and a test spends no
 * real seconds. Many waiters at once (the items of a batch) interleave exactly as in real time.
 * `sleeps` records the sleeps that ran to the end; cancelled ones leave no timer.
 */
export class FakeClock implements Clock {
	time = 0;

	/**
	 * `holds`: while it answers true (real work still going on, such as HTTP on loopback), time stands
	 * still; by default only the microtask queue is waited for.
	 */
	constructor(private readonly holds: () => boolean = () => false) {}

	readonly sleeps: number[] = [];

	private timers: FakeTimer[] = [];

	private order = 0;

	private advancing = false;

	now(): number {
		return this.time;
	}

	/** Timers not yet fired nor cancelled. */
	get pendingTimers(): number {
		return this.timers.length;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new CancelledError();
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.timers = this.timers.filter((timer) => timer !== entry);
				reject(new CancelledError());
			};
			const entry: FakeTimer = {
				at: this.time + Math.max(0, ms),
				order: this.order++,
				ms,
				fire: () => {
					signal?.removeEventListener('abort', onAbort);
					this.sleeps.push(ms);
					resolve();
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.timers.push(entry);
			this.advanceWhenIdle();
		});
	}

	/** Fires the earliest timer once everything else has run (setImmediate follows the microtasks). */
	private advanceWhenIdle(): void {
		if (this.advancing) return;
		this.advancing = true;
		const step = () => {
			if (this.timers.length === 0) {
				this.advancing = false;
				return;
			}
			if (this.holds()) {
				// Real work is under way: look again in a millisecond, without moving time.
				setTimeout(step, 1);
				return;
			}
			this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = this.timers.shift()!;
			this.time = Math.max(this.time, next.at);
			next.fire();
			setImmediate(step);
		};
		setImmediate(step);
	}
}
