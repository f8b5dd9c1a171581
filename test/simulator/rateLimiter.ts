/** Sliding one-second window over accepted requests; rejected ones do not use up the quota. `now`: the simulator's clock (its `now` option). */
export class RateLimiter {
	private accepted: number[] = [];

	allow(limitPerSecond: number, now: number): boolean {
		if (limitPerSecond <= 0) return true;
		this.accepted = this.accepted.filter((at) => now - at < 1000);
		if (this.accepted.length >= limitPerSecond) return false;
		this.accepted.push(now);
		return true;
	}

	/** Requests left in the window now, and ms until the oldest accepted one leaves it. */
	window(limitPerSecond: number, now: number): { remaining: number; resetMs: number } {
		const inWindow = this.accepted.filter((at) => now - at < 1000);
		return { remaining: Math.max(0, limitPerSecond - inWindow.length), resetMs: inWindow.length ? 1000 - (now - inWindow[0]) : 0 };
	}

	reset(): void {
		this.accepted = [];
	}
}
