import { errorText, parseTask } from '../../nodes/SparkPortrait/api/parse';
import { isTerminal, normaliseStatus } from '../../nodes/SparkPortrait/api/status';
import { ApiRejectedError, UnexpectedResponseError } from '../../nodes/SparkPortrait/errors/failures';

describe('normaliseStatus', () => {
	it.each([
		['pending', 'pending'],
		['QUEUED', 'pending'],
		['processing', 'processing'],
		['Running', 'processing'],
		['in-progress', 'processing'],
		['completed', 'completed'],
		['succeeded', 'completed'],
		['success', 'completed'],
		['failed', 'failed'],
		['error', 'failed'],
		['cancelled', 'failed'],
	])('%s -> %s', (word, status) => {
		expect(normaliseStatus(word)).toBe(status);
	});

	it('leaves unknown words undefined', () => {
		expect(normaliseStatus('paused')).toBeUndefined();
	});

	it('knows the terminal statuses', () => {
		expect(isTerminal('completed')).toBe(true);
		expect(isTerminal('failed')).toBe(true);
		expect(isTerminal('processing')).toBe(false);
	});
});

describe('parseTask', () => {
	const completed = {
		id: 'task_1',
		status: 'completed',
		output: [{ content: [{ type: 'image', url: 'https://cdn/x.jpg', size: 1234, jobId: 'job_1' }] }],
		usage: { cost: '0.0300', discount: 0 },
		metadata: { width: 1328 },
	};

	it('reads a completed task', () => {
		expect(parseTask(completed)).toStrictEqual({
			taskId: 'task_1',
			status: 'completed',
			rawStatus: 'completed',
			images: [{ type: 'image', url: 'https://cdn/x.jpg', size: 1234, jobId: 'job_1' }],
			usage: { cost: '0.0300', discount: 0 },
			metadata: { width: 1328 },
			error: undefined,
		});
	});

	it.each([
		[{ id: 'a', status: 'pending' }],
		[{ task_id: 'a', status: 'queued' }],
		[{ taskId: 'a', status: 'pending' }],
		[{ code: 0, message: 'ok', data: { task_id: 'a', status: 'pending' } }],
		[{ data: { id: 'a', status: 'waiting' } }],
	])('finds the task id in %j', (body) => {
		expect(parseTask(body)).toMatchObject({ taskId: 'a', status: 'pending' });
	});

	it('uses the requested id when a status response omits it', () => {
		expect(parseTask({ status: 'running' }, 'task_9')).toMatchObject({ taskId: 'task_9', status: 'processing' });
	});

	it('reads a failure with its code and message, restoring leading zeros of numeric codes', () => {
		expect(parseTask({ id: 't', status: 'failed', error: { code: '003010095', error_message: 'boom' } }).error).toStrictEqual({
			code: '003010095',
			message: 'boom',
		});
		expect(parseTask({ id: 't', status: 'failed', error: { code: 3010003, error_message: 'bad format' } }).error?.code).toBe('003010003');
	});

	it.each([
		[0, 0],
		[0.42, 0.42],
		[1, 1],
		['0.5', 0.5],
	])('reads progress %j as %j', (progress, expected) => {
		expect(parseTask({ id: 't', status: 'in_progress', progress }).progress).toBe(expected);
	});

	it.each([[42], [-0.1], ['half'], [null], [Number.NaN]])('leaves progress %j out rather than guess', (progress) => {
		expect(parseTask({ id: 't', status: 'in_progress', progress })).not.toHaveProperty('progress');
	});

	it('has no progress field when the answer has none', () => {
		expect(parseTask({ id: 't', status: 'in_progress' })).not.toHaveProperty('progress');
	});

	describe("every response form of Vtrix's sources", () => {
		it.each([
			['in_progress', 'processing'],
			['pending', 'pending'],
			['processing', 'processing'],
			['completed', 'completed'],
			['failed', 'failed'],
		])('status word %s -> %s', (word, status) => {
			expect(parseTask({ id: 't', status: word }).status).toBe(status);
		});

		it.each([
			[1767225600, '2026-01-01T00:00:00.000Z'],
			['1767225600', '2026-01-01T00:00:00.000Z'],
			[1767225600123, '2026-01-01T00:00:00.123Z'],
			['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
			['2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00.000Z'],
		])('created_at %j -> %s', (createdAt, iso) => {
			expect(parseTask({ id: 't', status: 'in_progress', created_at: createdAt }).createdAt).toBe(iso);
		});

		it.each([['yesterday'], [0], [null], [{}]])('leaves created_at %j out', (createdAt) => {
			expect(parseTask({ id: 't', status: 'in_progress', created_at: createdAt })).not.toHaveProperty('createdAt');
		});

		it.each<[string, unknown, { code: string; message: string }]>([
			['{code, error_message} (this model page)', { code: '003010095', error_message: 'boom' }, { code: '003010095', message: 'boom' }],
			['{code, message} (other Vtrix model pages)', { code: 3010097, message: 'fetch failed' }, { code: '003010097', message: 'fetch failed' }],
			["plain text (Vtrix's client)", ' content rejected by moderation ', { code: 'unknown', message: 'content rejected by moderation' }],
		])('error as %s', (_form, error, expected) => {
			expect(parseTask({ id: 't', status: 'failed', error }).error).toStrictEqual(expected);
		});

		it('ignores an empty error text on a task that is still running', () => {
			expect(parseTask({ id: 't', status: 'in_progress', error: '' }).error).toBeUndefined();
		});

		it('refuses a create answer with no id but an error text, with that text', () => {
			expect(() => parseTask({ error: 'insufficient balance' })).toThrow(ApiRejectedError);
			expect(() => parseTask({ error: 'insufficient balance' })).toThrow('The Vtrix API refused the request: insufficient balance');
		});

		it('reads usage with quantity, unit_price and discount, leaving out what is absent', () => {
			const usage = { cost: '0.0300', quantity: 1, unit_price: '0.0300', discount: '0.1', extra_info: {} };
			expect(parseTask({ id: 't', status: 'completed', usage }).usage).toStrictEqual({ cost: '0.0300', quantity: 1, unitPrice: '0.0300', discount: 0.1 });
			expect(parseTask({ id: 't', status: 'completed', usage: { cost: 0.03 } }).usage).toStrictEqual({ cost: '0.03' });
		});

		it('reads a task_id and the image fields of output[].content[]', () => {
			const body = { task_id: 'v1', status: 'completed', output: [{ content: [{ type: 'image', url: 'https://cdn.vtrix.ai/a.jpg', size: 9, jobId: 'j', id: 'x', img_id: 4 }] }] };
			expect(parseTask(body)).toMatchObject({ taskId: 'v1', images: [{ type: 'image', url: 'https://cdn.vtrix.ai/a.jpg', size: 9, jobId: 'j' }] });
		});
	});

	describe('errorText', () => {
		it.each<[unknown, string | undefined]>([
			[{ error: { code: '403', error_message: 'insufficient balance' } }, 'insufficient balance'],
			[{ message: 'permission denied' }, 'permission denied'],
			[{ error: 'invalid api key' }, 'invalid api key'],
			[{}, undefined],
			['<html>', undefined],
		])('reads %j', (body, text) => {
			expect(errorText(body)).toBe(text);
		});
	});

	it('gives a failed task without an error object a code of its own', () => {
		expect(parseTask({ id: 't', status: 'failed' }).error).toStrictEqual({ code: 'unknown', message: 'The task failed without an error code' });
	});

	it('ignores error code 0, the document\'s "no error"', () => {
		expect(parseTask({ id: 't', status: 'processing', error: { code: '0', error_message: '' } }).error).toBeUndefined();
	});

	it.each([
		[null, 'not a JSON object'],
		['<html>', 'not a JSON object'],
		[[1, 2], 'not a JSON object'],
		[{ status: 'pending' }, 'no task id'],
		[{ id: 't' }, 'has no status'],
		[{ id: 't', status: 'paused' }, 'unknown status "paused"'],
	])('refuses %j with a clear message', (body, message) => {
		expect(() => parseTask(body)).toThrow(UnexpectedResponseError);
		expect(() => parseTask(body)).toThrow(message);
	});
});
