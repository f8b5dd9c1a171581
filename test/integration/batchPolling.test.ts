/**
 * The learning schedule through the node over real HTTP: once tasks of the run have finished, a new
 * task's first status read waits until shortly before the fastest of them ended; each run starts
 * with nothing learned. The node and the simulator share virtual time (loopbackClock.ts), which stands
 * still while a request is on the wire: the schedule's logic is what is measured, not the machine's load.
 */
import type { RunNodeResult } from '../harness';
import { loopbackClock, type LoopbackClock } from '../support/loopbackClock';
import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

// Virtual seconds cost nothing: tasks as long as real ones.
const TASK_MS = 10_000;

/** A fresh timeline per test, as a fresh n8n process has. */
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
beforeEach(() => {
	timeline = loopbackClock(simulator);
	simulator().configure({ taskTimeSeed: 7 });
});
afterEach(() => {
	timeline?.dispose();
	timeline = undefined;
});

async function runBatch(items: number, pollInterval = 0): Promise<RunNodeResult> {
	const result = await runSpark(simulator(), {
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), width: 512, height: 512, options: { maxParallel: 2, downloadImage: false, pollInterval } },
		inputItems: Array.from({ length: items }, (_, n) => ({ n })),
		clock: timeline!.clock,
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
	const tasks = tasksInCreationOrder(await runBatch(6));
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

it('starts every run with nothing learned', async () => {
	await runBatch(2);
	simulator().reset();
	// A clock of its own, as each run had before: what a process learns is kept per clock (sparkRun.ts).
	timeline!.dispose();
	timeline = loopbackClock(simulator);
	const [first] = tasksInCreationOrder(await runBatch(2));
	expect(first.reads[0] - first.createdAt).toBeLessThan(600);
});

it("keeps to the user's Poll Interval for every task of the run", async () => {
	const tasks = tasksInCreationOrder(await runBatch(4, 0.2));
	for (const task of tasks) expect(task.reads[0] - task.createdAt).toBeLessThan(600);
});
