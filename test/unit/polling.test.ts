import {
	adaptiveSchedule,
	fixedSchedule,
	poll,
	type PollSchedule,
} from '../../nodes/SparkPortrait/polling/poller';
import { FakeClock } from '../support/fakeClock';
import { CancelledError } from '../../nodes/SparkPortrait/errors/failures';

type Status = 'processing' | 'completed';

/** A task that completes `durationMs` after the wait begins, read through the fake clock. */
function taskFinishingAt(clock: FakeClock, durationMs: number) {
	const reads: number[] = [];
	return {
		reads,
		read: async () => {
			reads.push(clock.now());
			return { value: (clock.now() >= durationMs ? 'completed' : 'processing') as Status };
		},
	};
}

async function waitFor(durationMs: number, schedule: PollSchedule = adaptiveSchedule, timeoutMs = 600_000) {
	const clock = new FakeClock();
	const task = taskFinishingAt(clock, durationMs);
	const result = await poll<Status>({
		initial: 'processing',
		read: task.read,
		isDone: (status) => status === 'completed',
		timeoutMs,
		schedule,
		clock,
	});
	return { clock, result, reads: task.reads };
}

describe('poll', () => {
	it('does not sleep or read when the first value is already terminal', async () => {
		const clock = new FakeClock();
		const read = jest.fn();
		const result = await poll({ initial: 'completed', read, isDone: (s) => s === 'completed', timeoutMs: 1000, schedule: adaptiveSchedule, clock });
		expect(result).toMatchObject({ done: true, value: 'completed', polls: 0 });
		expect(read).not.toHaveBeenCalled();
		expect(clock.sleeps).toHaveLength(0);
	});

	it('never sleeps after the terminal read', async () => {
		const { clock, result } = await waitFor(5000);
		expect(result.done).toBe(true);
		expect(clock.sleeps).toHaveLength(result.polls);
	});

	it('reads first 250 ms after create, then with gaps growing with the time waited', async () => {
		const { clock } = await waitFor(10_000);
		expect(clock.sleeps[0]).toBe(250);
		for (let i = 1; i < clock.sleeps.length; i++) expect(clock.sleeps[i]).toBeGreaterThanOrEqual(clock.sleeps[i - 1]);
	});

	it.each([[2000], [10_000], [30_000], [60_000], [300_000]])(
		'sees a %i ms task finish within 5 %% + 0.3 s of its run time',
		async (durationMs) => {
			const { result } = await waitFor(durationMs);
			expect(result.done).toBe(true);
			expect(result.elapsedMs).toBeGreaterThanOrEqual(durationMs);
			expect(result.elapsedMs).toBeLessThanOrEqual(durationMs * 1.05 + 300);
		},
	);

	it('caps the gap so a long task is still read regularly', async () => {
		const { clock } = await waitFor(3_600_000, adaptiveSchedule, 4_000_000);
		expect(Math.max(...clock.sleeps)).toBe(15_000);
	});

	it('uses a fixed interval when the user sets one', async () => {
		const { clock, result } = await waitFor(10_000, fixedSchedule(2000));
		expect(clock.sleeps).toStrictEqual([2000, 2000, 2000, 2000, 2000]);
		expect(result.polls).toBe(5);
	});

	it('stops at the timeout with the last value, reading once more at the deadline', async () => {
		const { result, reads } = await waitFor(10_000, fixedSchedule(3000), 7000);
		expect(result).toMatchObject({ done: false, value: 'processing', elapsedMs: 7000 });
		expect(reads).toStrictEqual([3000, 6000, 7000]);
	});

	it('honours a delay the server asks for when it is longer than the schedule', async () => {
		const clock = new FakeClock();
		let reads = 0;
		await poll<Status>({
			initial: 'processing',
			read: async () => ({ value: ++reads >= 3 ? 'completed' : 'processing', hintMs: 5000 }),
			isDone: (s) => s === 'completed',
			timeoutMs: 60_000,
			schedule: fixedSchedule(1000),
			clock,
		});
		expect(clock.sleeps).toStrictEqual([1000, 5000, 5000]);
	});

	it('ends with CancelledError once the signal aborts, without another read', async () => {
		const clock = new FakeClock();
		const controller = new AbortController();
		let reads = 0;
		const run = poll<Status>({
			initial: 'processing',
			read: async () => {
				if (++reads === 2) controller.abort();
				return { value: 'processing' };
			},
			isDone: (s) => s === 'completed',
			timeoutMs: 60_000,
			schedule: fixedSchedule(1000),
			clock,
			signal: controller.signal,
		});
		await expect(run).rejects.toBeInstanceOf(CancelledError);
		expect(reads).toBe(2);
	});

	describe('the wait timeout is a hard deadline', () => {
		/** A read that settles only when its signal aborts, as the transport does with a hung request. */
		const hangingRead = (reads: number[], clock: FakeClock) => async (signal: AbortSignal) => {
			reads.push(clock.now());
			return await new Promise<never>((_resolve, reject) => {
				signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
			});
		};

		/** A wait on a task that stays processing unless `read` says otherwise, read every second. */
		const waitProcessing = (clock: FakeClock, read: (signal: AbortSignal) => Promise<{ value: Status }>, timeoutMs: number, signal?: AbortSignal) =>
			poll<Status>({ initial: 'processing', read, isDone: (s) => s === 'completed', timeoutMs, schedule: fixedSchedule(1000), clock, signal });

		it('ends a wait whose read hangs at the timeout plus the read grace, with the last value', async () => {
			const clock = new FakeClock();
			const reads: number[] = [];
			const result = await waitProcessing(clock, hangingRead(reads, clock), 3000);
			expect(result).toMatchObject({ done: false, value: 'processing', polls: 0 });
			expect(reads).toStrictEqual([1000]);
			// The read grace is half a second.
			expect(clock.now()).toBe(3500);
			expect(clock.pendingTimers).toBe(0);
		});

		it.each([
			[400, { done: true, value: 'completed', elapsedMs: 3400 }],
			[600, { done: false, value: 'processing', elapsedMs: 3500 }],
		])('gives the read sent at the timeout the grace to answer, no more (answer after %i ms)', async (answerMs, expected) => {
			const clock = new FakeClock();
			const result = await waitProcessing(clock, async (signal) => {
				if (clock.now() < 3000) return { value: 'processing' };
				await clock.sleep(answerMs, signal);
				return { value: 'completed' };
			}, 3000);
			expect(result).toMatchObject(expected);
		});

		it('ends a wait whose reads keep being rate limited with long Retry-After waits', async () => {
			const clock = new FakeClock();
			// A read that spends its time in 30 s rate-limit waits of its own.
			const result = await waitProcessing(clock, async (signal) => {
				await clock.sleep(30_000, signal);
				return { value: 'processing' };
			}, 5000);
			expect(result.done).toBe(false);
			expect(clock.now()).toBe(5500);
		});

		it('says why the read given up at the deadline had not succeeded', async () => {
			const clock = new FakeClock();
			const result = await waitProcessing(clock, async (signal) => {
				await clock.sleep(30_000, signal).catch(() => {
					throw new CancelledError('HTTP 500');
				});
				return { value: 'processing' };
			}, 5000);
			expect(result).toMatchObject({ done: false, lastFailure: 'HTTP 500' });
		});

		it('ends a hung read at once with CancelledError when the batch stops', async () => {
			const clock = new FakeClock();
			const controller = new AbortController();
			void clock.sleep(1500).then(() => controller.abort());
			const run = waitProcessing(clock, hangingRead([], clock), 600_000, controller.signal);
			await expect(run).rejects.toBeInstanceOf(CancelledError);
			expect(clock.now()).toBe(1500);
			expect(clock.pendingTimers).toBe(0);
		});

		it('passes a read failure on (it is not a timeout)', async () => {
			const clock = new FakeClock();
			const run = waitProcessing(clock, async () => {
				throw new Error('status 500 after 5 attempts');
			}, 60_000);
			await expect(run).rejects.toThrow('status 500 after 5 attempts');
		});
	});
});
