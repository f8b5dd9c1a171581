/**
 * What the node keeps of an answer beyond the fields it reads: `metadata` and the texts it passes
 * through. They live as long as the item's output, and between Retry On Fail tries in the
 * process-wide resume registry, so they are kept within fixed bounds: a 1 MB answer of `{}`
 * objects is some 300,000 objects on the heap, not 1 MB. Whatever the bounds cut is said.
 */

export const KEPT_JSON_LIMITS = {
	/** Levels of objects and lists below the kept value itself. */
	maxDepth: 5,
	maxEntries: 100,
	/** Characters per text (values and keys). */
	maxTextChars: 1000,
	/** About the length of the kept value as JSON. */
	maxChars: 16 * 1024,
} as const;

/** Said in the output's notes when `name` lost anything to the bounds. */
export function keptJsonNote(name: string): string {
	const { maxDepth, maxEntries, maxTextChars, maxChars } = KEPT_JSON_LIMITS;
	return `${name} was cut to what the node keeps: ${maxDepth} levels, ${maxEntries} entries per level, ${maxTextChars} characters per text, ${maxChars / 1024} KB in all`;
}

/** The cut text is a copy of its own: a plain slice shares the original's memory in V8, and would keep all of it alive. */
export function keptText(text: string, maxChars: number = KEPT_JSON_LIMITS.maxTextChars): string {
	return text.length > maxChars ? (JSON.parse(JSON.stringify(`${text.slice(0, maxChars)}…`)) as string) : text;
}

/** Left out of a copy: too deep, or no budget left. */
const OMITTED = Symbol('omitted');

/** Copies JSON within the bounds; `cut` is set once anything was left out or shortened. */
class BoundedCopy {
	cut = false;
	private budget: number = KEPT_JSON_LIMITS.maxChars;

	copy(value: unknown, depth: number): unknown {
		if (typeof value === 'string') return this.text(value);
		if (typeof value !== 'object' || value === null) return this.spend(String(value).length) ? value : OMITTED;
		if (depth >= KEPT_JSON_LIMITS.maxDepth) {
			this.cut = true;
			return OMITTED;
		}
		if (!this.spend(2)) return OMITTED;
		return Array.isArray(value) ? this.list(value, depth) : this.object(value as Record<string, unknown>, depth);
	}

	private list(value: unknown[], depth: number): unknown[] {
		const copy: unknown[] = [];
		if (value.length > KEPT_JSON_LIMITS.maxEntries) this.cut = true;
		for (const entry of value.slice(0, KEPT_JSON_LIMITS.maxEntries)) {
			if (this.budget < 0) break;
			const kept = this.copy(entry, depth + 1);
			if (kept !== OMITTED) copy.push(kept);
		}
		return copy;
	}

	private object(value: Record<string, unknown>, depth: number): Record<string, unknown> {
		const copy: Record<string, unknown> = {};
		let count = 0;
		for (const key in value) {
			if (++count > KEPT_JSON_LIMITS.maxEntries) {
				this.cut = true;
				break;
			}
			const name = this.text(key);
			if (name === OMITTED) break;
			const kept = this.copy(value[key], depth + 1);
			// defineProperty: a key "__proto__" from JSON stays a key, not the copy's prototype.
			if (kept !== OMITTED) Object.defineProperty(copy, name, { value: kept, enumerable: true, writable: true, configurable: true });
		}
		return copy;
	}

	private text(value: string): string | typeof OMITTED {
		const kept = keptText(value);
		if (kept !== value) this.cut = true;
		return this.spend(kept.length + 2) ? kept : OMITTED;
	}

	/** False once the budget is spent: from then on nothing more is copied. */
	private spend(chars: number): boolean {
		this.budget -= chars;
		if (this.budget >= 0) return true;
		this.cut = true;
		return false;
	}
}

export function keptJson(value: Record<string, unknown>): { value: Record<string, unknown>; cut: boolean } {
	const copy = new BoundedCopy();
	const kept = copy.copy(value, 0);
	return { value: kept === OMITTED ? {} : (kept as Record<string, unknown>), cut: copy.cut };
}
