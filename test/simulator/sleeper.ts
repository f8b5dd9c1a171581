/** Timers for delay faults, all cancellable at once so close() never waits on them. */
export class Sleeper {
	private readonly cancels = new Set<() => void>();

	/** Resolves true after ms, or false if cancelled first. */
	sleep(ms: number): Promise<boolean> {
		return new Promise((resolve) => {
			const cancel = (): void => {
				clearTimeout(timer);
				this.cancels.delete(cancel);
				resolve(false);
			};
			const timer = setTimeout(() => {
				this.cancels.delete(cancel);
				resolve(true);
			}, ms);
			this.cancels.add(cancel);
		});
	}

	cancelAll(): void {
		for (const cancel of [...this.cancels]) cancel();
	}
}
