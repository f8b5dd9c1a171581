/**
 * Wait Timeout as the deadline of a whole Edit Portrait item: checking the Image URL, uploading a
 * binary image, creating the task (rate limits included), polling and downloading the result all
 * end by then (plus the poller's grace for a last read).
 */
import { startDeadline } from '../transport/clock';
import type { ItemRun } from './itemRun';
import { READ_GRACE_MS } from '../polling/poller';
import { CancelledError, type ItemStage, ItemTimeoutError } from '../errors/failures';

export type ItemDeadline = ReturnType<typeof startItemDeadline>;

export function startItemDeadline(run: ItemRun, timeoutMs: number) {
	const startedAt = run.clock.now();
	const deadline = startDeadline(run.clock, timeoutMs + READ_GRACE_MS, run.executionSignal);
	const item = {
		/** The item's run with the deadline in its signals: checking, uploading, downloading. */
		run: { ...run, executionSignal: deadline.signal, signal: AbortSignal.any([run.signal, deadline.signal]) },
		/** For creating: its own signal ends at the deadline, so a create cut off says whether a task may exist. */
		createRun: { ...run, executionSignal: deadline.signal },
		/** For polling, which ends at the deadline by itself (with its timeout result). */
		pollRun: run,
		/** What the item is doing, for the error if the deadline ends it. */
		stage: 'create' as ItemStage,
		expired: () => deadline.expired,
		elapsedMs: () => run.clock.now() - startedAt,
		/** What is left of Wait Timeout (without the grace). */
		remainingMs: () => timeoutMs - (run.clock.now() - startedAt),
		/** The error to report: a cancel caused by the deadline becomes an ItemTimeoutError. */
		explain: (error: unknown): unknown => {
			if (!(error instanceof CancelledError) || !deadline.expired || run.signal.aborted) return error;
			return new ItemTimeoutError(timeoutMs, item.stage, run.record.taskId, error.lastFailure, item.stage === 'create' && error.requestUnanswered);
		},
		dispose: () => deadline.dispose(),
	};
	return item;
}
