import type { ProgressShape } from './types';

/**
 * How a task's reported progress follows its time (`share` = time gone / duration, 0-1):
 * 'linear' advances evenly; 'jumping' holds still and leaps (0 → 0.3 → 0.6 → 0.8), as a
 * pipeline reporting its stages would; 'stalling' runs ahead to 0.9 at 60 % of the time and sits
 * there until the end; 'none' reports no progress at all.
 */
export function progressShare(shape: ProgressShape, share: number): number | undefined {
	switch (shape) {
		case 'none':
			return undefined;
		case 'jumping':
			return share < 0.25 ? 0 : share < 0.55 ? 0.3 : share < 0.85 ? 0.6 : 0.8;
		case 'stalling':
			return Math.min(0.9, share * 1.5);
		case 'linear':
			return share;
	}
}
