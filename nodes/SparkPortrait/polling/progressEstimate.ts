/**
 * Progress (0-1, as Vtrix reports it) as a polling hint. Read at `t` ms after create with
 * progress `p` (given to `q`, one unit of its last decimal), a task that advances evenly finishes
 * between t / (p + q) and t / p, where `t` is the send time for the early end and the answer's
 * arrival (plus a round trip for the create's own) for the late end: the server looked somewhere
 * in between, so a slow network widens the range rather than bending it. Every read narrows that range; once it is narrower than the
 * latency bound (5 % of the time + 0.3 s), the next read goes at its late end, where the task must
 * be done if it advances evenly, and the lag is at most the range's width.
 *
 * A task whose progress jumps, stalls or goes back gives ranges that do not meet: the estimate is
 * then dropped for good (for that wait) and the time schedule takes over, so the bound holds.
 * What cannot be caught: progress that advances evenly and then ends far earlier than it said;
 * such a task is seen at the time its progress pointed to.
 */

export interface ProgressReading {
	/** When the read was sent, in ms since the wait began (the create's answer). */
	atMs: number;
	/** When its answer came; `atMs` when unknown. */
	answeredMs?: number;
	progress: number;
}

/** Progress is assumed to be given to at least two decimals (whole percent). */
const MAX_STEP = 0.01;
/** The read goes this long after the late end, so a task due exactly then is already done. */
export const AFTER_ESTIMATE_MS = 50;
/** The latency bound the estimate must fit within: 5 % of the task time + 0.3 s. */
export const BOUND_SHARE = 0.05;
export const BOUND_BASE_MS = 300;

/** One unit of the last decimal of `value`, at most 0.01. */
function stepOf(value: number): number {
	const text = String(value);
	const decimals = text.includes('e-') ? Number(text.split('e-')[1]) + 2 : (text.split('.')[1] ?? '').length;
	return Math.min(MAX_STEP, 10 ** -decimals);
}

/** The finish times every reading allows, or undefined when they contradict each other. */
export function finishRange(readings: ProgressReading[]): { earliestMs: number; latestMs: number } | undefined {
	let earliestMs = 0;
	let latestMs = Infinity;
	for (const { atMs, answeredMs = atMs, progress } of readings) {
		if (!(progress >= 0 && progress < 1)) continue;
		earliestMs = Math.max(earliestMs, atMs / (progress + stepOf(progress)));
		// The task began up to one round trip before the wait did (the create's, taken to be like this read's).
		const roundTripMs = answeredMs - atMs;
		if (progress > 0) latestMs = Math.min(latestMs, (answeredMs + roundTripMs) / progress - roundTripMs);
	}
	return earliestMs <= latestMs ? { earliestMs, latestMs } : undefined;
}

/**
 * When to read next, in ms since the wait began, from the progress read so far; undefined when
 * progress says nothing trustworthy yet (no readings, too wide a range, or a contradiction).
 */
export function progressReadAtMs(readings: ProgressReading[], elapsedMs: number): number | undefined {
	const range = finishRange(readings);
	if (!range || !Number.isFinite(range.latestMs)) return undefined;
	if (range.latestMs - range.earliestMs > BOUND_SHARE * range.latestMs + BOUND_BASE_MS) return undefined;
	const at = range.latestMs + AFTER_ESTIMATE_MS;
	return at > elapsedMs ? at : undefined;
}
