/**
 * Two executions in one process, through the node's real `execute` with nothing passed to it (as
 * n8n builds the node): they share what the process learns about one API (task times of one kind
 * of task), and nothing else: not another kind's or another API's times, not a cancel, not a
 * failure.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { SimulatorHandle } from '../simulator';
import { expectCancelled, fixtureUrl, runSpark, useFreshSimulators } from '../support/sparkRun';

jest.setTimeout(90_000);

const freshSimulator = useFreshSimulators();

function editPortraits(sim: SimulatorHandle, items: number, size: number, options: INodeParameters = {}, abortAfterMs?: number) {
	return runSpark(sim, {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(sim), width: size, height: size, options: { downloadImage: false, maxParallel: items, ...options } },
		inputItems: Array.from({ length: items }, () => ({})),
		abortAfterMs,
	});
}

/** How long after each create the first status read of its task came. */
function firstReadGaps(sim: SimulatorHandle): number[] {
	return sim.requestsTo('create').map((create) => {
		const read = sim.requestsTo('status').find((request) => request.taskId === create.taskId);
		return (read?.at ?? Infinity) - create.at;
	});
}

it('a later execution uses the task time an earlier one learned for the same kind of task on the same API, and no other', async () => {
	const sim = await freshSimulator({ taskDurationMs: 2000, progressShape: 'none' });
	const other = await freshSimulator({ taskDurationMs: 2000, progressShape: 'none' });
	expect((await editPortraits(sim, 3, 640)).error).toBeUndefined();

	sim.reset();
	expect((await editPortraits(sim, 2, 640)).error).toBeUndefined();
	// Learned: the first read waits for most of the 2 s the earlier tasks took.
	firstReadGaps(sim).forEach((gap) => expect(gap).toBeGreaterThan(1000));

	sim.reset();
	expect((await editPortraits(sim, 2, 704)).error).toBeUndefined();
	// Another output size is another kind of task: nothing learned, the first read comes early.
	firstReadGaps(sim).forEach((gap) => expect(gap).toBeLessThan(1000));

	expect((await editPortraits(other, 2, 640)).error).toBeUndefined();
	// Another API (another origin) learned nothing from the first one.
	firstReadGaps(other).forEach((gap) => expect(gap).toBeLessThan(1000));
});

it('cancelling one execution stops its own items only', async () => {
	const sim = await freshSimulator({ taskDurationMs: 2500, progressShape: 'none' });
	const [cancelled, finished] = await Promise.all([editPortraits(sim, 2, 512, {}, 600), editPortraits(sim, 2, 576)]);
	expectCancelled(cancelled);
	expect(sim.requestsTo('create')).toHaveLength(4);
	expect(finished.error).toBeUndefined();
	expect(finished.items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
});

it('a failing execution fails alone: the other one, at the same time, delivers every item', async () => {
	const sim = await freshSimulator({ taskDurationMs: 1500, progressShape: 'none' });
	// The first create of the run fails for good: the API refuses its parameters.
	sim.injectFault({ route: 'create', kind: 'http', statusCode: 400, times: 1 });
	const failing = editPortraits(sim, 2, 512);
	await new Promise((resolve) => setTimeout(resolve, 200));
	const [failed, finished] = await Promise.all([failing, editPortraits(sim, 2, 576)]);
	expect(failed.status).toBe('error');
	expect(finished.error).toBeUndefined();
	expect(finished.items).toHaveLength(2);
	expect(finished.items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
});
