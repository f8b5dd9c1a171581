import type { CreateTaskBody, SparkTask } from '../../nodes/SparkPortrait/api/types';
import { maxTriesOf, ResumeRegistry, resumeKey, type RunScope } from '../../nodes/SparkPortrait/helpers/resume';
import { documentedCreateBody } from '../support/documentedBody';

const body: CreateTaskBody = documentedCreateBody('https://img.test/a.jpg');
const scope: RunScope = { executionId: '41', nodeId: 'node-a', runIndex: 0 };
const task = (taskId: string, status: SparkTask['status'] = 'pending'): SparkTask => ({ taskId, status, rawStatus: status, images: [] });

describe('resumeKey', () => {
	it('differs for another execution, node, run index, item or create body', () => {
		const key = resumeKey(scope, 0, body);
		expect(resumeKey({ ...scope }, 0, { ...body })).toBe(key);
		expect(resumeKey({ ...scope, executionId: '42' }, 0, body)).not.toBe(key);
		expect(resumeKey({ ...scope, nodeId: 'node-b' }, 0, body)).not.toBe(key);
		expect(resumeKey({ ...scope, runIndex: 1 }, 0, body)).not.toBe(key);
		expect(resumeKey(scope, 1, body)).not.toBe(key);
		expect(resumeKey(scope, 0, { ...body, prompt: 'smile' })).not.toBe(key);
		expect(resumeKey(scope, 0, { ...body, seed: '7' })).not.toBe(key);
	});
});

describe('ResumeRegistry', () => {
	it('hands the task of an earlier try to the next, counting the tries', async () => {
		const registry = new ResumeRegistry();
		registry.recordCreate('k', Promise.resolve(task('t1')));
		await Promise.resolve();
		expect(registry.resume('k')).toMatchObject({ tries: 2, taskIds: ['t1'], latest: { taskId: 't1' } });
		expect(registry.resume('k')).toMatchObject({ tries: 3 });
		expect(registry.resume('other')).toBeUndefined();
	});

	it('keeps the latest state, and every task of the item across resubmissions', async () => {
		const registry = new ResumeRegistry();
		registry.recordCreate('k', Promise.resolve(task('t1')));
		await Promise.resolve();
		registry.recordCreate('k', Promise.resolve(task('t2')));
		await Promise.resolve();
		registry.recordState('k', task('t2', 'completed'));
		expect(registry.resume('k')).toMatchObject({ taskIds: ['t1', 't2'], latest: { taskId: 't2', status: 'completed' } });
	});

	it('drops an entry whose create failed, and one that is forgotten', async () => {
		const registry = new ResumeRegistry();
		registry.recordCreate('failed', Promise.reject(new Error('400')));
		registry.recordCreate('done', Promise.resolve(task('t1')));
		await new Promise((resolve) => setImmediate(resolve));
		registry.forget('done');
		expect(registry.resume('failed')).toBeUndefined();
		expect(registry.resume('done')).toBeUndefined();
		expect(registry.size).toBe(0);
	});

	it('gives up entries after the time limit', async () => {
		let now = 0;
		const registry = new ResumeRegistry(() => now, 60_000);
		registry.recordCreate('old', Promise.resolve(task('t1')));
		now = 30_000;
		registry.recordCreate('recent', Promise.resolve(task('t2')));
		now = 60_001;
		expect(registry.resume('old')).toBeUndefined();
		expect(registry.resume('recent')).toBeDefined();
		expect(registry.size).toBe(1);
	});

	it('keeps at most its bound, dropping the least recently used', () => {
		const registry = new ResumeRegistry(() => 0, 60_000, 3);
		for (const key of ['a', 'b', 'c']) registry.recordCreate(key, Promise.resolve(task(key)));
		registry.resume('a');
		registry.recordCreate('d', Promise.resolve(task('d')));
		expect(registry.size).toBe(3);
		expect(registry.resume('b')).toBeUndefined();
		expect(registry.resume('a')).toBeDefined();
		expect(registry.resume('d')).toBeDefined();
	});

	it('counts the runs of one node run, per execution, node and run index, until they end', () => {
		const registry = new ResumeRegistry(() => 0);
		expect(registry.countTry(scope)).toBe(1);
		expect(registry.countTry(scope)).toBe(2);
		expect(registry.countTry({ ...scope, runIndex: 1 })).toBe(1);
		expect(registry.countTry({ ...scope, executionId: '42' })).toBe(1);
		registry.endTries(scope);
		expect(registry.countTry(scope)).toBe(1);
	});

	it('hands a kept staged image to the next try once, and keeps none for an ended entry', async () => {
		const registry = new ResumeRegistry(() => 0);
		registry.recordCreate('a', Promise.resolve(task('t1')));
		await Promise.resolve();
		const staged = { bucket: 'b', key: 'spark-portrait/x.jpg' };
		expect(registry.keepStaged('a', staged)).toBe(true);
		expect(registry.takeStaged('a')).toEqual(staged);
		expect(registry.takeStaged('a')).toBeUndefined();
		registry.forget('a');
		expect(registry.isAlive('a')).toBe(false);
		expect(registry.keepStaged('a', staged)).toBe(false);
	});
});

describe('takeStagedOf', () => {
	it('takes the kept images of one node run only, once', async () => {
		const registry = new ResumeRegistry(() => 0);
		const other = { ...scope, runIndex: 1 };
		for (const [key, at] of [[resumeKey(scope, 0, body), 'a'], [resumeKey(scope, 1, body), 'b'], [resumeKey(other, 0, body), 'c']]) {
			registry.recordCreate(key, Promise.resolve(task(at)));
			registry.keepStaged(key, { bucket: 'b', key: at });
		}
		expect(registry.takeStagedOf(scope).map((staged) => staged.key).sort()).toEqual(['a', 'b']);
		expect(registry.takeStagedOf(scope)).toEqual([]);
		expect(registry.takeStagedOf(other)).toEqual([{ bucket: 'b', key: 'c' }]);
	});
});

describe('maxTriesOf', () => {
	it('follows n8n-core: 1 without Retry On Fail, else Max Tries within 2..5 (3 when unset)', () => {
		expect(maxTriesOf({})).toBe(1);
		expect(maxTriesOf({ retryOnFail: false, maxTries: 4 })).toBe(1);
		expect(maxTriesOf({ retryOnFail: true })).toBe(3);
		expect(maxTriesOf({ retryOnFail: true, maxTries: 1 })).toBe(2);
		expect(maxTriesOf({ retryOnFail: true, maxTries: 9 })).toBe(5);
	});
});
