/**
 * How a run paces its requests. Shared pacing (the default) lets every execution of this n8n
 * process learn from the tasks of the same kind the others waited for, so a new execution's first
 * read comes just before the learned finish time.
 */
import type { CreateTaskBody } from '../api/types';
import type { Clock } from '../transport/clock';
import { ExpiringCache } from '../transport/expiringCache';
import { newRunHistory, type RunHistory } from './batchSchedule';

export interface Pacing {
	/** The task times a task created with this body learns from, and adds its own to. */
	historyFor(body: CreateTaskBody): RunHistory;
	/** Whether `progress` in status answers times the next read. */
	progressHints: boolean;
}

/** At most this many kinds of task are remembered (each forgotten FORGET_AFTER_MS after its last task). */
export const MAX_KINDS = 64;

const learned = new ExpiringCache<RunHistory>({
	maxEntries: MAX_KINDS,
	create: () => newRunHistory(),
	inUse: (history) => Object.keys(history.running).length > 0,
});

/** Tasks that should take about as long: same API, model, output size and mode. */
export function taskKind(origin: string, body: CreateTaskBody): string {
	return [origin, body.model, `${body.width}x${body.height}`, body.gen_mode ?? (body.prompt ? 'creative' : 'reference')].join(' ');
}

export function sharedPacing(origin: string, clock: Clock): Pacing {
	return { historyFor: (body) => learned.get(clock, taskKind(origin, body)), progressHints: true };
}

/** One history for the whole run, whatever the bodies: how the node paced before shared pacing. */
export function runPacing(): Pacing {
	const history = newRunHistory();
	return { historyFor: () => history, progressHints: false };
}
