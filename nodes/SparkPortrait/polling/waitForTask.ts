import type { SparkTask } from '../api/types';
import { isTerminal } from '../api/status';
import type { Clock } from '../transport/clock';
import type { ApiClient } from '../transport/apiClient';
import { PRIORITY } from '../transport/requestBudget';
import { batchSchedule, firstReadAtMs, type RunHistory } from './batchSchedule';
import { fixedSchedule, poll, type PollResult, type PollSchedule } from './poller';
import { finishRange, progressReadAtMs, type ProgressReading } from './progressEstimate';
import type { WaitSettings } from '../descriptions/settings';

export interface TaskWait {
	client: Pick<ApiClient, 'readTask'>;
	clock: Clock;
	signal?: AbortSignal;
	/** Tasks of the same kind so far: the schedule learns from them, and this wait adds to them. */
	history: RunHistory;
	/** Let `progress` in status answers time the next read (not with a user's Poll Interval). */
	progressHints?: boolean;
}

/** Only the latest finished tasks are kept: bounded memory, and the provider's speed of late. */
export const MAX_FINISHED = 50;

export async function waitForTask(wait: TaskWait, created: SparkTask, settings: WaitSettings): Promise<PollResult<SparkTask>> {
	const { clock, history } = wait;
	const startedAt = clock.now();
	const readings: ProgressReading[] = [];
	const useProgress = wait.progressHints === true && settings.pollIntervalMs === undefined;
	const noteProgress = (task: SparkTask, atMs: number, answeredMs = atMs) => {
		if (useProgress && task.progress !== undefined) readings.push({ atMs, answeredMs, progress: task.progress });
	};
	noteProgress(created, 0);
	const timeSchedule = settings.pollIntervalMs === undefined ? batchSchedule(history) : fixedSchedule(settings.pollIntervalMs);
	// Progress that holds together names the next read; otherwise the time schedule does.
	const schedule: PollSchedule = (elapsedMs) => {
		const at = useProgress ? progressReadAtMs(readings, elapsedMs) : undefined;
		return at === undefined ? timeSchedule(elapsedMs) : at - elapsedMs;
	};
	// A read at or past the time the task is expected to end goes first when the budget is short.
	const priorityAt = (elapsedMs: number) => {
		const expected = finishRange(readings)?.earliestMs || firstReadAtMs(history);
		return expected !== undefined && elapsedMs >= expected ? PRIORITY.likelyDone : PRIORITY.read;
	};
	// The create response said the task was not done yet.
	let runningAtMs = 0;
	try {
		const result = await poll<SparkTask>({
			initial: created,
			read: async (signal) => {
				const sentAtMs = clock.now() - startedAt;
				const { task, retryAfterMs } = await wait.client.readTask(created.taskId, signal, priorityAt(sentAtMs));
				if (!isTerminal(task.status)) runningAtMs = history.running[created.taskId] = sentAtMs;
				noteProgress(task, sentAtMs, clock.now() - startedAt);
				return { value: task, hintMs: retryAfterMs };
			},
			isDone: (task) => isTerminal(task.status),
			timeoutMs: settings.timeoutMs,
			schedule,
			clock,
			signal: wait.signal,
		});
		// Only completions teach the schedule: a failure can come at any time.
		if (result.done && result.value.status === 'completed' && result.polls > 0) {
			history.finished.push({ runningAtMs, doneAtMs: result.elapsedMs });
			if (history.finished.length > MAX_FINISHED) history.finished.splice(0, history.finished.length - MAX_FINISHED);
		}
		return result;
	} finally {
		delete history.running[created.taskId];
	}
}
