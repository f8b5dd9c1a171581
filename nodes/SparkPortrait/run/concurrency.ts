/** Runs `worker` for each entry, at most `limit` at once, in list order; once `stop()` is true no new one starts. */
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

/** A signal per item, not one shared: fifty items listening on one signal would make Node warn of a listener leak. */
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
