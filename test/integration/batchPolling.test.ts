/**
 * The learning schedule through the node over real HTTP: once tasks of the run have finished, a new
 * task's first status read waits until shortly before the fastest of them ended; a run of a kind of
 * task the process has not seen starts with nothing learned. Runs share what the process learned
 * (as in n8n), so each test uses an output size of its own: another kind of task. The node and the
 * simulator share virtual time (loopbackClock.ts), which stands still while a request is on the wire:
 * the schedule's logic is what is measured, not the machine's load.
 */
import type { RunNodeResult } from '../harness';
import { loopbackClock, type LoopbackClock } from '../support/loopbackClock';
import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

// Virtual seconds cost nothing: tasks as long as real ones.
const TASK_MS = 10_000;

/** One timeline for the file, as one n8n process has one clock (what it learns is kept per clock). */
let timeline: LoopbackClock | undefined;

// The time schedule alone: with `progress` in the answers the first tasks are read on progress hints too
// (tested in sharedPacing.test.ts), and the first-vs-later comparison below would measure those instead.
const simulator = useTestSimulator({
	taskDurationMs: TASK_MS,
	taskTimeSpread: 0.2,
	taskTimeSeed: 7,
	progressShape: 'none',
	now: () => timeline?.now() ?? 0,
});
beforeAll(() => {
	timeline = loopbackClock(simulator);
});
afterAll(() => {
	timeline?.dispose();
});
beforeEach(() => {
	simulator().configure({ taskTimeSeed: 7 });
});

async function runBatch(items: number, size: number, pollInterval = 0): Promise<RunNodeResult> {
	const result = await runSpark(simulator(), {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: size, height: size, options: { maxParallel: 2, downloadImage: false, pollInterval } },
		inputItems: Array.from({ length: items }, (_, n) => ({ n })),
		node: { clock: timeline!.clock },
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.json.status)).toEqual(new Array(items).fill('completed'));
	return result;
}

interface TaskReads {
	createdAt: number;
	finishedAt: number;
	/** Arrival times of its status reads. */
	reads: number[];
}

/** Every task of the run in creation order, with its status reads as the simulator received them. */
function tasksInCreationOrder(result: RunNodeResult): TaskReads[] {
	const statusReads = simulator().requestsTo('status');
	return result.items
		.map((item) => {
			const task = simulator().task(item.json.taskId as string);
			if (!task?.finishedAt) throw new Error('task did not finish');
			const reads = statusReads.filter((read) => read.taskId === task.id).map((read) => read.at);
			return { createdAt: task.createdAt, finishedAt: task.finishedAt, reads };
		})
		.sort((a, b) => a.createdAt - b.createdAt);
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

it('reads a task first shortly before the fastest finished sibling ended, and reads less than the first ones', async () => {
	const tasks = tasksInCreationOrder(await runBatch(6, 512));
	const [first, second, ...later] = tasks;
	// Nothing finished yet: today's first read, 0.25 s after create.
	for (const task of [first, second]) expect(task.reads[0] - task.createdAt).toBeLessThan(600);
	for (const task of later) {
		const finishedBefore = tasks.filter((other) => other.finishedAt <= task.createdAt).map((other) => other.finishedAt - other.createdAt);
		expect(finishedBefore.length).toBeGreaterThan(0);
		// At least half the fastest time (the margin is at most a quarter of it while one task is known).
		expect(task.reads[0] - task.createdAt).toBeGreaterThanOrEqual(0.5 * Math.min(...finishedBefore));
		// And every task is still read after it finished, at most one read after.
		expect(task.reads.filter((at) => at >= task.finishedAt)).toHaveLength(1);
	}
	expect(average(later.map((task) => task.reads.length))).toBeLessThan(average([first, second].map((task) => task.reads.length)) * 0.75);
});

it('starts with nothing learned for a kind of task the process has not seen', async () => {
	const [first] = tasksInCreationOrder(await runBatch(2, 576));
	expect(first.reads[0] - first.createdAt).toBeLessThan(600);
});

it("keeps to the user's Poll Interval for every task of the run", async () => {
	const tasks = tasksInCreationOrder(await runBatch(4, 640, 0.2));
	for (const task of tasks) expect(task.reads[0] - task.createdAt).toBeLessThan(600);
});
