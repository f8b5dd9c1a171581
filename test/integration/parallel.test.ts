/**
 * Items run in parallel up to Max Parallel Tasks, yet the output keeps the input's order and
 * pairedItem, one failing item keeps its task id under Continue On Fail, and each image is
 * downloaded as soon as its own task completes.
 */
import type { INodeParameters } from 'n8n-workflow';

import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();
beforeEach(() => {
	// Jitter makes tasks finish in another order than they were created.
	simulator().configure({ taskDurationMs: 700, jitterMs: 500 });
});

/** Time of each task's last status read: the one that saw it end (the poller stops there). */
function lastStatusReads(): Map<string, number> {
	const last = new Map<string, number>();
	for (const read of simulator().requestsTo('status')) last.set(read.taskId as string, read.at);
	return last;
}

const parameters = (options: INodeParameters): INodeParameters => ({
	operation: 'createAndWait',
	imageUrl: fixtureUrl(simulator()),
	width: 512,
	height: 512,
	prompt: '={{ "item " + $json.n }}',
	options,
});

it('keeps input order and pairedItem while tasks finish out of order', async () => {
	const items = 9;
	const result = await runSpark(simulator(), { parameters: parameters({ maxParallel: 9 }), inputItems: Array.from({ length: items }, (_, n) => ({ n })) });
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: items }, (_, item) => ({ item })));
	expect(result.items.map((item) => (item.json.metadata as { prompt: string }).prompt)).toEqual(Array.from({ length: items }, (_, n) => `item ${n}`));

	const completion = result.items.map((item) => simulator().task(item.json.taskId as string)?.completesAt ?? 0);
	const finishOrder = [...completion.keys()].sort((a, b) => completion[a] - completion[b]);
	expect(finishOrder).not.toEqual([...finishOrder].sort((a, b) => a - b));
});

it('never runs more than Max Parallel Tasks items at once', async () => {
	const maxParallel = 3;
	const result = await runSpark(simulator(), { parameters: parameters({ maxParallel, downloadImage: false }), inputItems: Array.from({ length: 8 }, (_, n) => ({ n })) });
	expect(result.error).toBeUndefined();
	// An item's lane frees when its last status read (the completed one) returns.
	const creates = simulator().requestsTo('create');
	const finishedAt = lastStatusReads();
	creates.forEach((create, index) => {
		const running = creates.slice(0, index).filter((earlier) => (finishedAt.get(earlier.taskId as string) ?? Infinity) > create.at);
		expect(running.length).toBeLessThan(maxParallel);
	});
	expect(creates.slice(0, maxParallel).every((create) => create.at - creates[0].at < 1000)).toBe(true);
});

it('downloads each image as soon as its task completes, not after the batch', async () => {
	// One task never ends, so the batch lasts the whole Wait Timeout: the other images must be
	// downloaded before that. (Completions spread by jitter alone can bunch up on a busy machine,
	// where the simulator's image work lags.)
	simulator().configure({ jitterMs: 0 });
	simulator().setNextTaskOutcomes({ kind: 'complete' }, { kind: 'complete' }, { kind: 'complete' }, { kind: 'never' });
	const result = await runSpark(simulator(), {
		parameters: parameters({ maxParallel: 4, waitTimeout: 3, onTimeout: 'returnItem' }),
		inputItems: Array.from({ length: 4 }, (_, n) => ({ n })),
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed', 'timeout']);
	const batchEnd = Math.max(...lastStatusReads().values());
	const downloads = simulator().requestsTo('download').map((r) => r.at);
	expect(downloads).toHaveLength(3);
	expect(Math.min(...downloads)).toBeLessThan(batchEnd);
});

it('with Continue On Fail, a failed item keeps its task id and the others keep their results', async () => {
	// One at a time, so short tasks: only which outcome lands where is checked.
	simulator().configure({ taskDurationMs: 300, jitterMs: 0 });
	simulator().setNextTaskOutcomes({ kind: 'complete' }, { kind: 'fail', code: '003010095' }, { kind: 'complete' }, { kind: 'fail', code: '003010003' }, { kind: 'complete' });
	const result = await runSpark(simulator(), {
		parameters: parameters({ maxParallel: 1, downloadImage: false }),
		inputItems: Array.from({ length: 5 }, (_, n) => ({ n })),
		continueOnFail: true,
	});
	expect(result.error).toBeUndefined();
	const ids = simulator().requestsTo('create').map((r) => r.taskId);
	expect(result.items.map((item) => item.json.status ?? item.json.error)).toEqual([
		'completed',
		expect.stringContaining('003010095'),
		'completed',
		expect.stringContaining('003010003'),
		'completed',
	]);
	expect(result.items.map((item) => item.json.taskId)).toEqual(ids);
	expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
});

it('with Continue On Fail and parallel items, every outcome lands on its own item', async () => {
	simulator().configure({ jitterMs: 400 });
	simulator().setNextTaskOutcomes(
		...Array.from({ length: 10 }, (_, n) => (n % 3 === 1 ? { kind: 'fail' as const, code: '003010096' } : { kind: 'complete' as const })),
	);
	const result = await runSpark(simulator(), {
		parameters: parameters({ maxParallel: 5, downloadImage: false }),
		inputItems: Array.from({ length: 10 }, (_, n) => ({ n })),
		continueOnFail: true,
	});
	const created = new Map(simulator().requestsTo('create').map((r) => [r.taskId as string, (r.fields as { prompt: string }).prompt]));
	result.items.forEach((item, n) => {
		expect(item.pairedItem).toEqual({ item: n });
		expect(created.get(item.json.taskId as string)).toBe(`item ${n}`);
	});
	const failed = result.items.filter((item) => item.json.error).length;
	expect(failed).toBe(3);
});
