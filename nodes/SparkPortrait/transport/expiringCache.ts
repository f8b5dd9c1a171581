/**
 * What an n8n process remembers between executions (the request budget per API origin, the task
 * times learned per kind of task), in one small store that forgets: an entry unused for
 * FORGET_AFTER_MS goes, unless it is still in use, and at most `maxEntries` are kept (the idle one
 * used least recently goes first). Kept per clock, so tests on a fake clock share nothing with
 * anything else.
 */
import type { Clock } from './clock';

export const FORGET_AFTER_MS = 30 * 60_000;

export interface ExpiringCacheOptions<V> {
	maxEntries: number;
	/** Makes the value of a key not (or no longer) remembered, on the clock it is kept for. */
	create: (clock: Clock) => V;
	/** An entry still in use is never forgotten (a budget with requests waiting, a kind with tasks running). */
	inUse: (value: V) => boolean;
	/** When the value was last used, where it knows better than the last lookup (a budget's last request). */
	lastUsedAt?: (value: V) => number;
}

interface Entry<V> {
	value: V;
	lookedUpAt: number;
}

export class ExpiringCache<V> {
	private readonly byClock = new WeakMap<Clock, Map<string, Entry<V>>>();

	constructor(private readonly options: ExpiringCacheOptions<V>) {}

	get(clock: Clock, key: string): V {
		const { maxEntries, create, inUse, lastUsedAt } = this.options;
		let entries = this.byClock.get(clock);
		if (!entries) this.byClock.set(clock, (entries = new Map()));
		const now = clock.now();
		const usedAt = (entry: Entry<V>) => Math.max(entry.lookedUpAt, lastUsedAt?.(entry.value) ?? -Infinity);
		for (const [name, entry] of entries) if (now - usedAt(entry) > FORGET_AFTER_MS && !inUse(entry.value)) entries.delete(name);
		let entry = entries.get(key);
		if (!entry) {
			if (entries.size >= maxEntries) {
				const idle = [...entries].filter(([, other]) => !inUse(other.value)).sort(([, a], [, b]) => usedAt(a) - usedAt(b))[0];
				if (idle) entries.delete(idle[0]);
			}
			entry = { value: create(clock), lookedUpAt: now };
			entries.set(key, entry);
		}
		entry.lookedUpAt = now;
		return entry.value;
	}
}
