import type { SparkTask } from '../api/types';
import { isTerminal } from '../api/status';
import type { Clock } from '../transport/clock';
import type { SparkClient } from '../transport';
import { batchSchedule, type RunHistory } from './batchSchedule';
import { fixedSchedule, poll, type PollResult } from './polling';
import type { WaitSettings } from './settings';

export interface TaskWait {
	client: Pick<SparkClient, 'readTask'>;
	clock: Clock;
	/** Aborts the wait (execution cancelled, or another item failed the run). */
	signal?: AbortSignal;
	/** The run's tasks so far: the schedule learns from them, and this wait adds to them. */
	history: RunHistory;
}

/** Polls a created task until it completes, fails, or the wait timeout ends. */
export async function waitForTask(wait: TaskWait, created: SparkTask, settings: WaitSettings): Promise<PollResult<SparkTask>> {
	const { clock, history } = wait;
	const startedAt = clock.now();
	// The create response said the task was not done yet.
	let runningAtMs = 0;
	try {
		const result = await poll<SparkTask>({
			initial: created,
			read: async (signal) => {
				const sentAtMs = clock.now() - startedAt;
				const { task, retryAfterMs } = await wait.client.readTask(created.taskId, signal);
				if (!isTerminal(task.status)) runningAtMs = history.running[created.taskId] = sentAtMs;
				return { value: task, hintMs: retryAfterMs };
			},
			isDone: (task) => isTerminal(task.status),
			timeoutMs: settings.timeoutMs,
			schedule: settings.pollIntervalMs === undefined ? batchSchedule(history) : fixedSchedule(settings.pollIntervalMs),
			clock,
			signal: wait.signal,
		});
		// Only completions teach the schedule: a failure can come at any time.
		if (result.done && result.value.status === 'completed' && result.polls > 0) {
			history.finished.push({ runningAtMs, doneAtMs: result.elapsedMs });
		}
		return result;
	} finally {
		delete history.running[created.taskId];
	}
}
