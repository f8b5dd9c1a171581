import type { SparkTask } from '../api/types';
import { isTerminal } from '../api/status';
import type { Clock } from '../transport/clock';
import type { SparkClient } from '../transport';
import { poll, type PollResult } from './polling';
import type { WaitSettings } from './settings';

export interface TaskWait {
	client: SparkClient;
	clock: Clock;
	/** Aborts the wait (execution cancelled, or another item failed the run). */
	signal?: AbortSignal;
}

/** Polls a created task until it completes, fails, or the wait timeout ends. */
export async function waitForTask(wait: TaskWait, created: SparkTask, settings: WaitSettings): Promise<PollResult<SparkTask>> {
	return await poll<SparkTask>({
		initial: created,
		read: async (signal) => {
			const { task, retryAfterMs } = await wait.client.readTask(created.taskId, signal);
			return { value: task, hintMs: retryAfterMs };
		},
		isDone: (task) => isTerminal(task.status),
		timeoutMs: settings.timeoutMs,
		schedule: settings.schedule,
		clock: wait.clock,
		signal: wait.signal,
	});
}
