/**
 * Runs `worker` for each entry with at most `limit` running at once. Workers start in list order;
 * once `stop()` is true no new worker starts, and the call resolves when the running ones end.
 */
export async function forEachConcurrent<T>(
	entries: T[],
	limit: number,
	worker: (entry: T) => Promise<void>,
	stop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < entries.length && !stop()) {
			await worker(entries[next++]);
		}
	};
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, entries.length)) }, lane);
	await Promise.all(lanes);
}

/**
 * Stops every item of the batch at once. Each item has a signal of its own rather than all
 * listening on one: fifty items waiting on a shared signal would make Node warn of a listener leak.
 */
export class BatchStop {
	private readonly items: AbortController[] = [];

	stopped = false;

	itemSignal(): AbortSignal {
		const controller = new AbortController();
		if (this.stopped) controller.abort();
		this.items.push(controller);
		return controller.signal;
	}

	readonly stop = (): void => {
		this.stopped = true;
		for (const controller of this.items) controller.abort();
	};
}
