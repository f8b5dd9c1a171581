/** Sliding one-second window over accepted requests; rejected ones do not use up the quota. */
export class RateLimiter {
	private accepted: number[] = [];

	allow(limitPerSecond: number, now = Date.now()): boolean {
		if (limitPerSecond <= 0) return true;
		this.accepted = this.accepted.filter((at) => now - at < 1000);
		if (this.accepted.length >= limitPerSecond) return false;
		this.accepted.push(now);
		return true;
	}

	reset(): void {
		this.accepted = [];
	}
}
