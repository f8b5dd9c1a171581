import type { SparkTask } from '../api/types';
import { isTerminal } from '../api/status';
import type { ItemRun } from '../actions/types';
import { poll, type PollResult } from './polling';
import type { WaitSettings } from './settings';

/** Polls a created task until it completes, fails, or the wait timeout ends. */
export async function waitForTask(run: ItemRun, created: SparkTask, settings: WaitSettings): Promise<PollResult<SparkTask>> {
	return await poll<SparkTask>({
		initial: created,
		read: async (signal) => {
			const { task, retryAfterMs } = await run.client.readTask(created.taskId, signal);
			return { value: task, hintMs: retryAfterMs };
		},
		isDone: (task) => isTerminal(task.status),
		timeoutMs: settings.timeoutMs,
		schedule: settings.schedule,
		clock: run.clock,
		signal: run.signal,
	});
}
