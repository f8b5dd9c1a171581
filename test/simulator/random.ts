import { randomBytes } from 'node:crypto';

/** mulberry32: tiny, seeded, good enough for jitter and test noise; seeded so runs are reproducible. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** FNV-1a, 32 bit: a stable hash so parameter-dependent edits repeat exactly. */
export function hashString(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** Ids must be unique across simulator restarts, so they are not seeded. */
export function randomId(prefix: string): string {
	return `${prefix}${randomBytes(10).toString('hex')}`;
}
