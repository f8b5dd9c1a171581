import * as n8nWorkflow from 'n8n-workflow';

import { abandonOnAbort, abortableSleepOf, MAX_TIMER_MS, realClock, startDeadline, wallClock, type AbortableSleep, type Clock } from '../../nodes/SparkPortrait/transport/clock';
import { FakeClock } from '../support/fakeClock';
import { CancelledError } from '../../nodes/SparkPortrait/errors/failures';

describe('realClock.sleep', () => {
	// jest's fake timers stand in for the process's: the timers are what is under test, not the time.
	afterEach(() => {
		jest.useRealTimers();
	});

	it('clears its timer when cancelled, and rejects at once', async () => {
		jest.useFakeTimers();
		const controller = new AbortController();
		const sleeping = realClock.sleep(60_000, controller.signal);
		expect(jest.getTimerCount()).toBe(1);
		controller.abort();
		// No time passes: the rejection comes from the abort, not from the timer.
		await expect(sleeping).rejects.toBeInstanceOf(CancelledError);
		expect(jest.getTimerCount()).toBe(0);
	});

	it('leaves no listener on the signal it slept on, even with 1.x\'s sleepWithAbort, which never removes its own', async () => {
		// As n8n-workflow 1.x does it: the listener stays after the timer fired.
		const leakySleepWithAbort: AbortableSleep = async (ms, signal) =>
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(resolve, ms);
				signal.addEventListener('abort', () => {
					clearTimeout(timer);
					reject(new Error('cancelled'));
				}, { once: true });
			});
		const clock = wallClock(leakySleepWithAbort);
		const controller = new AbortController();
		const added = jest.spyOn(controller.signal, 'addEventListener');
		const removed = jest.spyOn(controller.signal, 'removeEventListener');
		for (let i = 0; i < 20; i++) await clock.sleep(1, controller.signal);
		expect(added.mock.calls.length).toBeGreaterThan(0);
		expect(removed.mock.calls.length).toBe(added.mock.calls.length);
	});

	it('never asks Node for a timer longer than it holds: a longer sleep wakes at 2^31 - 1 ms, with no TimeoutOverflowWarning', async () => {
		const asked: number[] = [];
		await wallClock(async (ms) => void asked.push(ms)).sleep(99_999_999_000, new AbortController().signal);
		expect(asked).toEqual([MAX_TIMER_MS]);

		const warnings: string[] = [];
		const onWarning = (warning: Error) => warnings.push(warning.name);
		process.on('warning', onWarning);
		const controller = new AbortController();
		const sleeping = realClock.sleep(99_999_999_000, controller.signal);
		controller.abort();
		await expect(sleeping).rejects.toBeInstanceOf(CancelledError);
		await new Promise((resolve) => setImmediate(resolve));
		process.off('warning', onWarning);
		expect(warnings).toEqual([]);
	});

	it('resolves after the time when not cancelled, not before', async () => {
		jest.useFakeTimers();
		let woke = false;
		const sleeping = realClock.sleep(30, new AbortController().signal).then(() => {
			woke = true;
		});
		await jest.advanceTimersByTimeAsync(29);
		expect(woke).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		await sleeping;
		expect(woke).toBe(true);
	});
});

describe('abortableSleepOf: the n8n-workflow of the n8n that loads the node', () => {
	const sleepWithAbort = async () => undefined;
	const sleep = async () => undefined;

	it('takes sleepWithAbort where it exists (n8n-workflow 1.x)', () => {
		expect(abortableSleepOf({ sleep, sleepWithAbort })).toBe(sleepWithAbort);
	});

	it('takes sleep, which accepts the signal, where it does not (2.x)', () => {
		expect(abortableSleepOf({ sleep })).toBe(sleep);
		expect(abortableSleepOf(n8nWorkflow)).toBe(n8nWorkflow.sleep);
	});
});

describe('abandonOnAbort', () => {
	it('rejects when the signal aborts although the work never settles', async () => {
		const controller = new AbortController();
		const waiting = abandonOnAbort(new Promise(() => undefined), controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
	});

	it('swallows a later failure of the abandoned work', async () => {
		const controller = new AbortController();
		let fail: (error: Error) => void = () => undefined;
		const work = new Promise<never>((_resolve, reject) => {
			fail = reject;
		});
		const waiting = abandonOnAbort(work, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		const unhandled = jest.fn();
		process.on('unhandledRejection', unhandled);
		fail(new Error('socket hang up'));
		await new Promise((resolve) => setImmediate(resolve));
		process.off('unhandledRejection', unhandled);
		expect(unhandled).not.toHaveBeenCalled();
	});

	it('passes the work through when it settles first', async () => {
		await expect(abandonOnAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
	});
});

describe('startDeadline on the fake clock', () => {
	it('aborts at the time and says it expired', async () => {
		const clock = new FakeClock();
		const deadline = startDeadline(clock, 3000);
		await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
		expect(clock.now()).toBe(3000);
		expect(deadline.expired).toBe(true);
	});

	it('keeps its time on a clock whose sleeps run short (a test clock over real HTTP)', async () => {
		const clock = new FakeClock();
		const short: Clock = { now: () => clock.now(), sleep: async (ms, signal) => await clock.sleep(Math.max(1, ms / 50), signal) };
		const deadline = startDeadline(short, 3000);
		await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
		expect(clock.now()).toBeGreaterThanOrEqual(3000);
		expect(clock.now()).toBeLessThan(3001);
		expect(deadline.expired).toBe(true);
	});

	it('follows its parent without expiring, and clears its timer when disposed', async () => {
		const clock = new FakeClock();
		const parent = new AbortController();
		const deadline = startDeadline(clock, 3000, parent.signal);
		parent.abort();
		expect(deadline.signal.aborted).toBe(true);
		expect(deadline.expired).toBe(false);
		deadline.dispose();
		await Promise.resolve();
		expect(clock.pendingTimers).toBe(0);
	});
});
