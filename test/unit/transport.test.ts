/**
 * The transport's retry loop on the fake clock: back-off, Retry-After, jitter bounds, the two
 * budgets, and abandoning a request that never answers. The request helpers are scripted stand-ins
 * that, like n8n's httpRequestWithAuthentication, ignore the abortSignal they are given.
 */
import { Readable } from 'node:stream';

import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { ApiClient } from '../../nodes/SparkPortrait/transport/apiClient';
import { HttpCore } from '../../nodes/SparkPortrait/transport/http';
import { CancelledError, SparkHttpError, SparkNetworkError } from '../../nodes/SparkPortrait/errors/failures';
import { retryPolicy } from '../../nodes/SparkPortrait/transport/retry';
import { FakeClock } from '../support/fakeClock';

type Answer = { statusCode: number; body?: unknown; headers?: Record<string, string> } | 'reset' | 'hang';

const TASK = { id: 'task_1', status: 'processing' };

/** A client whose requests get the scripted answers in order (the last one repeats). */
function scriptedClient(answers: Answer[], maxRetries = 3) {
	const clock = new FakeClock();
	const sent: Array<{ at: number; options: IHttpRequestOptions }> = [];
	const answer = async (options: IHttpRequestOptions) => {
		sent.push({ at: clock.now(), options });
		const next = answers[Math.min(sent.length - 1, answers.length - 1)];
		if (next === 'hang') return await new Promise(() => undefined);
		if (next === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const body = next.body ?? (next.statusCode < 300 ? TASK : { error: 'x' });
		// Asked for a stream, as the client always asks, n8n's helpers hand over the unread body.
		return { statusCode: next.statusCode, body: Readable.from([Buffer.from(JSON.stringify(body))]), headers: next.headers ?? {} };
	};
	const ctx = {
		helpers: {
			httpRequest: answer,
			httpRequestWithAuthentication: async (_credential: string, options: IHttpRequestOptions) => await answer(options),
		},
	} as unknown as IExecuteFunctions;
	const client = new ApiClient(
		ctx,
		{ baseUrl: 'http://api.test', createTaskUrl: 'http://api.test/tasks', taskStatusUrl: (id: string) => `http://api.test/tasks/${id}`, requestFormat: 'vtrixClient' },
		new HttpCore({ requestTimeoutMs: 60_000, retry: retryPolicy(maxRetries), clock }),
	);
	return { client, clock, sent };
}

const ok: Answer = { statusCode: 200 };
const status = (statusCode: number, retryAfter?: string): Answer => ({
	statusCode,
	headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
});

/** Each sleep lies within the jitter band above its back-off: [delay, 1.2 × delay]. */
function expectJittered(sleeps: number[], delays: number[]): void {
	expect(sleeps).toHaveLength(delays.length);
	sleeps.forEach((slept, index) => {
		expect(slept).toBeGreaterThanOrEqual(delays[index]);
		expect(slept).toBeLessThanOrEqual(delays[index] * 1.2);
	});
}

describe('ApiClient retries on the fake clock', () => {
	it('backs off exponentially from 500 ms after server errors and resets, then succeeds', async () => {
		const { client, clock, sent } = scriptedClient([status(500), 'reset', status(502), ok]);
		const read = await client.readTask('task_1');
		expect(read.task.taskId).toBe('task_1');
		expect(sent).toHaveLength(4);
		expectJittered(clock.sleeps, [500, 1000, 2000]);
	});

	it('waits what Retry-After asks when it is longer than the back-off, capped at 30 s', async () => {
		const { client, clock } = scriptedClient([status(429, '3'), status(503, '120'), ok]);
		await client.readTask('task_1');
		expectJittered(clock.sleeps, [3000, 30_000]);
	});

	it('keeps jitter within 0 to 20 % over many retries', async () => {
		const { client, clock, sent } = scriptedClient([...Array.from({ length: 40 }, () => status(429)), ok], 10);
		await client.readTask('task_1');
		expect(sent).toHaveLength(41);
		// One wait before each of the 40 retries: 500 ms doubling, 30 s from the seventh on.
		const delays = [500, 1000, 2000, 4000, 8000, 16_000, ...Array.from({ length: 34 }, () => 30_000)];
		expectJittered(clock.sleeps, delays);
		expect(new Set(clock.sleeps.map((slept, index) => slept / delays[index])).size).toBeGreaterThan(1);
	});

	it('gives up after Max Retries server errors, with the attempts counted', async () => {
		const { client, sent } = scriptedClient([status(500)], 2);
		const error = await client.readTask('task_1').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(SparkHttpError);
		expect(error).toMatchObject({ statusCode: 500, attempts: 3 });
		expect(sent).toHaveLength(3);
	});

	it('gives rate limits their own budget of five per retry, not shared with failures', async () => {
		const { client, sent } = scriptedClient([status(500), ...Array.from({ length: 10 }, () => status(429)), status(500), status(500)], 2);
		const error = await client.readTask('task_1').catch((caught: unknown) => caught);
		// Failure, 10 rate limits (their whole budget), failure: both retried; the third failure ends it.
		expect(error).toMatchObject({ statusCode: 500, attempts: 13 });
		expect(sent).toHaveLength(13);
	});

	it('ends a storm of 429 after the rate-limit budget', async () => {
		const { client, sent } = scriptedClient([status(429)], 1);
		const error = await client.readTask('task_1').catch((caught: unknown) => caught);
		expect(error).toMatchObject({ statusCode: 429, attempts: 6 });
		expect(sent).toHaveLength(6);
	});

	it('never repeats a create after an unknown outcome, and repeats it after 429', async () => {
		const reset = scriptedClient(['reset']);
		const error = await reset.client.createTask({} as never).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(SparkNetworkError);
		expect(error).toMatchObject({ outcomeUnknown: true, attempts: 1 });
		expect(reset.sent).toHaveLength(1);

		const limited = scriptedClient([status(429, '1'), ok]);
		await limited.client.createTask({} as never);
		expect(limited.sent).toHaveLength(2);
		expectJittered(limited.clock.sleeps, [1000]);
	});

	it('stops waiting for a request that never answers as soon as the signal aborts, though the helper ignored it', async () => {
		const { client, clock, sent } = scriptedClient(['hang']);
		const controller = new AbortController();
		const read = client.readTask('task_1', controller.signal);
		void clock.sleep(2500).then(() => controller.abort());
		await expect(read).rejects.toBeInstanceOf(CancelledError);
		await expect(read).rejects.toMatchObject({ lastFailure: undefined });
		expect(clock.now()).toBe(2500);
		expect(sent).toHaveLength(1);
	});

	it('stops a back-off wait at the abort, leaving no timer behind', async () => {
		const { client, clock, sent } = scriptedClient([status(429, '20')]);
		const controller = new AbortController();
		const read = client.readTask('task_1', controller.signal);
		void clock.sleep(1000).then(() => controller.abort());
		await expect(read).rejects.toBeInstanceOf(CancelledError);
		// Whoever gave the read up learns why it had not succeeded.
		await expect(read).rejects.toMatchObject({ lastFailure: 'HTTP 429' });
		expect(clock.now()).toBe(1000);
		expect(sent).toHaveLength(1);
		expect(clock.pendingTimers).toBe(0);
	});
});
