import { forEachConcurrent } from '../../nodes/SparkPortrait/run/concurrency';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

describe('forEachConcurrent', () => {
	it('never runs more than the limit at once and runs every index once', async () => {
		let running = 0;
		let peak = 0;
		const seen: number[] = [];
		await forEachConcurrent([0, 1, 2, 3, 4, 5, 6], 3, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((r) => setImmediate(r));
			seen.push(index);
			running--;
		});
		expect(peak).toBe(3);
		expect([...seen].sort()).toStrictEqual([0, 1, 2, 3, 4, 5, 6]);
	});

	it('starts work in index order and a slow item does not hold up the others', async () => {
		const started: number[] = [];
		const gate = deferred();
		const run = forEachConcurrent([0, 1, 2, 3], 2, async (index) => {
			started.push(index);
			if (index === 0) await gate.promise;
		});
		await new Promise((r) => setImmediate(r));
		expect(started).toStrictEqual([0, 1, 2, 3]);
		gate.resolve();
		await run;
	});

	it('starts no new work once stop() is true', async () => {
		const started: number[] = [];
		let stop = false;
		await forEachConcurrent([0, 1, 2, 3, 4], 2, async (index) => {
			started.push(index);
			if (index === 1) stop = true;
		}, () => stop);
		expect(started).toStrictEqual([0, 1]);
	});
});
