/**
 * Secrets never travel back out. A hostile or broken server can echo what it was sent (the API
 * key, `Bearer <key>`, a staging secret) in any string of its answer; every answer is scrubbed
 * here, once, as it arrives, before any layer reads it into a message, an output item, an error
 * response or saved run data.
 */
export const REDACTED = '[redacted]';

/** How deep a JSON answer is walked; anything deeper is dropped rather than kept unscrubbed. */
const MAX_DEPTH = 32;

/** The forms a secret can come back in: as sent, and percent-encoded (echoed in a URL). */
function formsOf(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret === '') continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	// Longest first, so a form that contains another is replaced whole.
	return [...forms].sort((a, b) => b.length - a.length);
}

export class SecretScrubber {
	private readonly forms: string[];

	constructor(secrets: readonly string[]) {
		this.forms = formsOf(secrets);
	}

	text(value: string): string {
		let result = value;
		for (const form of this.forms) if (result.includes(form)) result = result.split(form).join(REDACTED);
		return result;
	}

	/** A copy of a parsed JSON value (or a string) with every secret replaced, in keys as in values. */
	value<T>(value: T): T {
		return this.walk(value, 0) as T;
	}

	private walk(value: unknown, depth: number): unknown {
		if (typeof value === 'string') return this.text(value);
		if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
		if (depth >= MAX_DEPTH) return undefined;
		if (Array.isArray(value)) return value.map((entry) => this.walk(entry, depth + 1));
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[this.text(key)] = this.walk(entry, depth + 1);
		return copy;
	}
}
