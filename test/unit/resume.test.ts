import type { CreateTaskBody, SparkTask } from '../../nodes/SparkPortrait/api/types';
import { maxTriesOf, ResumeRegistry, resumeKey, type RunScope } from '../../nodes/SparkPortrait/run/resume';
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
	const key = (itemIndex: number, of: RunScope = scope) => resumeKey(of, itemIndex, body);
	/** A registry with one try of `scope` running. */
	const trying = (now: () => number = () => 0) => {
		const registry = new ResumeRegistry(now, 60_000);
		registry.countTry(scope);
		return registry;
	};

	it('hands the task of an earlier try to the next, counting the tries', async () => {
		const registry = trying();
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		await Promise.resolve();
		expect(registry.resume(key(0))).toMatchObject({ tries: 2, taskIds: ['t1'], latest: { taskId: 't1' } });
		expect(registry.resume(key(0))).toMatchObject({ tries: 3 });
		expect(registry.resume(key(1))).toBeUndefined();
	});

	it('keeps the latest state, and every task of the item across resubmissions', async () => {
		const registry = trying();
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		await Promise.resolve();
		registry.recordCreate(key(0), Promise.resolve(task('t2')));
		await Promise.resolve();
		registry.recordState(key(0), task('t2', 'completed'));
		expect(registry.resume(key(0))).toMatchObject({ taskIds: ['t1', 't2'], latest: { taskId: 't2', status: 'completed' } });
	});

	it('drops an entry whose create failed, and one that is forgotten', async () => {
		const registry = trying();
		registry.recordCreate(key(0), Promise.reject(new Error('400')));
		registry.recordCreate(key(1), Promise.resolve(task('t1')));
		await new Promise((resolve) => setImmediate(resolve));
		registry.forget(key(1));
		expect(registry.resume(key(0))).toBeUndefined();
		expect(registry.resume(key(1))).toBeUndefined();
		expect(registry.size).toBe(0);
	});

	it('keeps nothing outside a counted try', () => {
		const registry = new ResumeRegistry();
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		expect(registry.size).toBe(0);
	});

	it('never drops an entry of a run that may still be tried again, however many', () => {
		const registry = trying();
		for (let item = 0; item < 5000; item++) registry.recordCreate(key(item), Promise.resolve(task(`t${item}`)));
		registry.endTry(scope, false);
		for (let run = 1; run <= 3; run++) {
			const other = { ...scope, executionId: `other-${run}` };
			registry.countTry(other);
			for (let item = 0; item < 2000; item++) registry.recordCreate(key(item, other), Promise.resolve(task(`o${item}`)));
		}
		expect(registry.size).toBe(11_000);
		expect(registry.countTry(scope)).toBe(2);
		expect(registry.resume(key(0))).toBeDefined();
	});

	it('ends a run with all its entries when it is over, and a run no next try picked up within the grace', () => {
		let now = 0;
		const registry = trying(() => now);
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		registry.endTry(scope, true);
		expect(registry.size).toBe(0);
		expect(registry.countTry(scope)).toBe(1);

		registry.recordCreate(key(0), Promise.resolve(task('t2')));
		registry.endTry(scope, false);
		now = 60_001;
		// Counting another run's try sweeps the stale one.
		registry.countTry({ ...scope, executionId: '42' });
		expect(registry.isAlive(key(0))).toBe(false);
	});

	it('keeps a run while a try of it runs, however long', () => {
		let now = 0;
		const registry = trying(() => now);
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		now = 10 * 60_000;
		registry.countTry({ ...scope, executionId: '42' });
		expect(registry.isAlive(key(0))).toBe(true);
	});

	it('counts the tries of one node run, per execution, node and run index, until the run is over', () => {
		const registry = new ResumeRegistry(() => 0);
		expect(registry.countTry(scope)).toBe(1);
		registry.endTry(scope, false);
		expect(registry.countTry(scope)).toBe(2);
		expect(registry.countTry({ ...scope, runIndex: 1 })).toBe(1);
		expect(registry.countTry({ ...scope, executionId: '42' })).toBe(1);
		registry.endTry(scope, true);
		expect(registry.countTry(scope)).toBe(1);
	});

	it('hands a kept staged image to the next try once, and keeps none for an ended entry', async () => {
		const registry = trying();
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		await Promise.resolve();
		const staged = { bucket: 'b', key: 'spark-portrait/x.jpg', url: 'https://b.test/x', urlExpiresAt: '2026-11-27T08:15:00.000Z' };
		expect(registry.keepStaged(key(0), staged)).toBe(true);
		expect(registry.takeStaged(key(0))).toEqual(staged);
		expect(registry.takeStaged(key(0))).toBeUndefined();
		// Still named by the entry (key, link, expiry), for a resumed item's output.
		expect(registry.resume(key(0))?.image).toEqual(staged);
		registry.forget(key(0));
		expect(registry.isAlive(key(0))).toBe(false);
		expect(registry.keepStaged(key(0), staged)).toBe(false);
	});

	it('names the image a task was created with, without handing it over', () => {
		const registry = trying();
		registry.recordCreate(key(0), Promise.resolve(task('t1')));
		registry.recordImage(key(0), { bucket: 'b', key: 'spark-portrait/y.jpg' });
		expect(registry.takeStaged(key(0))).toBeUndefined();
		expect(registry.takeStagedOf(scope)).toEqual([]);
		expect(registry.resume(key(0))?.image).toEqual({ bucket: 'b', key: 'spark-portrait/y.jpg' });
	});
});

describe('takeStagedOf', () => {
	it('takes the kept images of one node run only, once', async () => {
		const registry = new ResumeRegistry(() => 0);
		const other = { ...scope, runIndex: 1 };
		registry.countTry(scope);
		registry.countTry(other);
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
