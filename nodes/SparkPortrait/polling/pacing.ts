/**
 * How a run paces its requests. Shared pacing (the default) lets every execution of this n8n
 * process learn from the tasks the others waited for: task times are kept per API origin, model,
 * output size and mode, so a new execution's first read comes just before the learned finish
 * time; progress in status answers times the next read. Run pacing is the behaviour before it:
 * each run learns from its own tasks only, and progress is not used.
 */
import type { CreateTaskBody } from '../api/types';
import type { Clock } from '../transport/clock';
import { newRunHistory, type RunHistory } from './batchSchedule';

export interface Pacing {
	/** The task times a task created with this body learns from, and adds its own to. */
	historyFor(body: CreateTaskBody): RunHistory;
	/** Whether `progress` in status answers times the next read. */
	progressHints: boolean;
}

/** Learned times are forgotten this long after the last task of their kind, and at most this many kinds are kept. */
export const FORGET_AFTER_MS = 30 * 60_000;
export const MAX_KINDS = 64;

interface Learned {
	history: RunHistory;
	lastUsedAt: number;
}

/** Per clock, so tests on a fake clock never share what they learn with anything else. */
const learnedByClock = new WeakMap<Clock, Map<string, Learned>>();

/** Tasks that should take about as long: same API, model, output size and mode. */
export function taskKind(origin: string, body: CreateTaskBody): string {
	return [origin, body.model, `${body.width}x${body.height}`, body.gen_mode ?? (body.prompt ? 'creative' : 'reference')].join(' ');
}

function learnedHistory(kind: string, clock: Clock): RunHistory {
	let byKind = learnedByClock.get(clock);
	if (!byKind) learnedByClock.set(clock, (byKind = new Map()));
	const now = clock.now();
	for (const [key, learned] of byKind) {
		if (now - learned.lastUsedAt > FORGET_AFTER_MS && Object.keys(learned.history.running).length === 0) byKind.delete(key);
	}
	let learned = byKind.get(kind);
	if (!learned) {
		if (byKind.size >= MAX_KINDS) {
			const oldest = [...byKind].sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt)[0];
			byKind.delete(oldest[0]);
		}
		learned = { history: newRunHistory(), lastUsedAt: now };
		byKind.set(kind, learned);
	}
	learned.lastUsedAt = now;
	return learned.history;
}

export function sharedPacing(origin: string, clock: Clock): Pacing {
	return { historyFor: (body) => learnedHistory(taskKind(origin, body), clock), progressHints: true };
}

/** One history for the whole run, whatever the bodies: how the node paced before shared pacing. */
export function runPacing(): Pacing {
	const history = newRunHistory();
	return { historyFor: () => history, progressHints: false };
}
