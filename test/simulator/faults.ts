import type { FaultSpec, Route } from './types';

const FAULTABLE: readonly Route[] = ['create', 'status', 'download', 'fixture'];

interface QueuedFault {
	spec: FaultSpec;
	left: number;
	/** Matching requests still to let through before it applies. */
	skip: number;
}

/** Faults queued by tests, consumed first-in first-out by the requests they match. */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(spec: FaultSpec): void {
		this.queue.push({ spec, left: spec.times ?? 1, skip: spec.after ?? 0 });
	}

	/** Consumes one use of the oldest fault that matches; control and unknown routes are never faulted. */
	take(route: Route, taskId: string | undefined): FaultSpec | undefined {
		if (!FAULTABLE.includes(route)) return undefined;
		const index = this.queue.findIndex(
			({ spec }) => (spec.route === 'any' || spec.route === route) && (spec.taskId === undefined || spec.taskId === taskId),
		);
		if (index < 0) return undefined;
		const entry = this.queue[index];
		if (entry.skip > 0) {
			entry.skip -= 1;
			return undefined;
		}
		entry.left -= 1;
		if (entry.left <= 0) this.queue.splice(index, 1);
		return entry.spec;
	}

	clear(): void {
		this.queue = [];
	}
}
