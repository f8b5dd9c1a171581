import { parseTask, UnexpectedResponseError } from '../../nodes/SparkPortrait/api/parse';
import { isTerminal, normaliseStatus } from '../../nodes/SparkPortrait/api/status';

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
