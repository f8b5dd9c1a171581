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
	])('refuses %j with a clear message', (body, message) => {
		expect(() => parseTask(body)).toThrow(UnexpectedResponseError);
		expect(() => parseTask(body)).toThrow(message);
	});

	it.each([
		[{ id: 't' }, 'The Vtrix API response for task t has no status'],
		[{ id: 't', status: 'paused' }, 'The Vtrix API reported an unknown status "paused" for task t'],
		[{ id: 't', status: 'constructor' }, 'unknown status "constructor"'],
	])('a status read (its id recorded already) refuses %j with a clear message', (body, message) => {
		expect(() => parseTask(body, 't')).toThrow(UnexpectedResponseError);
		expect(() => parseTask(body, 't')).toThrow(message);
	});

	it.each<[unknown, string]>([
		[{ id: 't' }, 'status is missing; taken as pending: read the task with Get Task Status'],
		[{ id: 't', status: 'paused' }, 'status "paused" is not a status the node knows; taken as pending: read the task with Get Task Status'],
		[{ id: 't', status: '__proto__' }, 'status "__proto__" is not a status the node knows; taken as pending: read the task with Get Task Status'],
	])('a create answer naming a task never throws: %j is pending, noted', (body, note) => {
		expect(parseTask(body)).toMatchObject({ taskId: 't', status: 'pending', notes: [note] });
	});
});

/**
 * Issue 28 part 1: once an answer names a task id, nothing throws. Every field the parser reads,
 * with values a hostile or broken server may send: a create answer and a status answer both give
 * the task, with the field left out (or read as far as it can be) and a note naming it.
 */
describe('parseTask with a hostile value in each field it reads', () => {
	const huge = 'x'.repeat(100_000);
	const hostile: unknown[] = [9e15, 1e300, -1e300, -1, Number.MAX_VALUE, 0.5, true, false, '', ' ', 'NaN', 'Infinity', '-Infinity', '__proto__', 'constructor', 'toString', huge, '\ud800', [], [1, 2], {}, { __proto__: 'x' }, { toString: 1 }];

	type Field = [field: string, place: (value: unknown) => Record<string, unknown>];
	const fields: Field[] = [
		['status', (value) => ({ status: value })],
		['created_at', (value) => ({ created_at: value })],
		['progress', (value) => ({ progress: value })],
		['error', (value) => ({ error: value })],
		['error.code', (value) => ({ error: { code: value, error_message: 'm' } })],
		['error.error_message', (value) => ({ error: { code: '003010095', error_message: value } })],
		['output', (value) => ({ output: value })],
		['output[].content', (value) => ({ output: [{ content: value }] })],
		['output[].content[]', (value) => ({ output: [{ content: [value] }] })],
		['output url', (value) => ({ output: [{ content: [{ url: value }] }] })],
		['output type', (value) => ({ output: [{ content: [{ url: 'https://cdn/x.jpg', type: value }] }] })],
		['output size', (value) => ({ output: [{ content: [{ url: 'https://cdn/x.jpg', size: value }] }] })],
		['output jobId', (value) => ({ output: [{ content: [{ url: 'https://cdn/x.jpg', jobId: value }] }] })],
		['output job_id', (value) => ({ output: [{ content: [{ url: 'https://cdn/x.jpg', job_id: value }] }] })],
		['usage', (value) => ({ usage: value })],
		['usage.cost', (value) => ({ usage: { cost: value } })],
		['usage.quantity', (value) => ({ usage: { quantity: value } })],
		['usage.unit_price', (value) => ({ usage: { unit_price: value } })],
		['usage.discount', (value) => ({ usage: { discount: value } })],
		['metadata', (value) => ({ metadata: value })],
		['data (envelope)', (value) => ({ code: 0, data: value })],
		['code (envelope)', (value) => ({ code: value, message: 'm' })],
	];
	const cases = fields.flatMap(([field, place]) => hostile.map((value, index) => [field, index, place(value)] as const));

	it.each(cases)('%s, value %i: a create answer gives its task, status known or pending', (_field, _index, extra) => {
		const task = parseTask({ id: 'task_1', status: 'in_progress', ...extra });
		expect(task.taskId).toBe('task_1');
		expect(['pending', 'processing', 'completed', 'failed']).toContain(task.status);
		expect(task.createdAt === undefined || !Number.isNaN(Date.parse(task.createdAt))).toBe(true);
		expect(task.progress === undefined || (task.progress >= 0 && task.progress <= 1)).toBe(true);
		for (const image of task.images) expect(typeof image.url).toBe('string');
		expect(() => JSON.stringify(task)).not.toThrow();
	});

	it.each(cases)('%s, value %i: a status answer gives its task or names it in an UnexpectedResponseError', (_field, _index, extra) => {
		let task;
		try {
			task = parseTask({ status: 'completed', ...extra }, 'task_1');
		} catch (error) {
			expect(error).toBeInstanceOf(UnexpectedResponseError);
			expect((error as Error).message).toContain('task_1');
			return;
		}
		expect(task.taskId).toBe('task_1');
	});

	it.each<[string, Record<string, unknown>, string]>([
		['created_at 9e15 (nanoseconds)', { created_at: 9e15 }, 'created_at 9000000000000000 is not a time; left out'],
		['created_at 1e300', { created_at: 1e300 }, 'created_at 1e+300 is not a time; left out'],
		['created_at past year 275760', { created_at: '99999-12-31T00:00:00Z' }, 'created_at "99999-12-31T00:00:00Z" is not a time; left out'],
		['progress as a percentage', { progress: 42 }, 'progress 42 is not a share from 0 to 1; left out'],
		['progress as text', { progress: 'half' }, 'progress "half" is not a share from 0 to 1; left out'],
		['usage as a list', { usage: [] }, 'usage [a list of 0] is not an object of costs; left out'],
		['usage.cost as an object', { usage: { cost: {} } }, 'usage.cost {an object} is not a price; left out'],
		['output as an object', { output: {} }, 'output {an object} is not a list of images; left out'],
		['an image size as text', { output: [{ content: [{ url: 'https://cdn/x.jpg', size: 'big' }] }] }, 'output image size "big" is not a number of bytes; left out'],
		['metadata as text', { metadata: 'm' }, 'metadata "m" is not an object; left out'],
		['error as a number', { error: 42 }, 'error 42 has no code or text the node can read; left out'],
		['a long value, shown short', { progress: 'y'.repeat(1000) }, `progress "${'y'.repeat(40)}…" is not a share from 0 to 1; left out`],
	])('%s is left out and noted', (_name, extra, note) => {
		expect(parseTask({ id: 't', status: 'in_progress', ...extra }).notes).toEqual([note]);
	});

	it('notes 8 images kept of more', () => {
		const output = [{ content: Array.from({ length: 12 }, (_, index) => ({ url: `https://cdn/${index}.jpg` })) }];
		const task = parseTask({ id: 't', status: 'completed', output });
		expect(task.images).toHaveLength(8);
		expect(task.notes).toEqual(['output lists 12 images; the first 8 are kept']);
	});

	it('says at most 20 notes, then how many more', () => {
		const output = [{ content: Array.from({ length: 8 }, (_, index) => ({ url: `https://cdn/${index}.jpg`, size: 'big', type: 7, jobId: {} })) }];
		const notes = parseTask({ id: 't', status: 'completed', output }).notes ?? [];
		expect(notes).toHaveLength(21);
		expect(notes[20]).toBe('and 4 more notes like these');
	});

	it('a clean answer has no notes, and "no error" (code 0, empty text) is no note', () => {
		expect(parseTask({ id: 't', status: 'in_progress', progress: 0.5, created_at: 1767225600, error: { code: 0, error_message: '' } })).not.toHaveProperty('notes');
		expect(parseTask({ id: 't', status: 'in_progress', error: '' })).not.toHaveProperty('notes');
	});
});
