/**
 * A hostile or broken server can echo what it was sent (the API key, `Bearer <key>`, a staging
 * secret) in any string of its answer, in any encoding; every answer is scrubbed here, once, as it
 * arrives and before anything is cut short, so no layer reads a secret (or the start of one) into a
 * message, an output item, an error response or saved run data.
 */
export const REDACTED = '[redacted]';

/** How deep a JSON answer is walked; anything deeper is dropped rather than kept unscrubbed. */
const MAX_DEPTH = 32;
/** Encoded forms are looked for only for secrets this long: a shorter one's fragments would match anything. */
const MIN_ENCODED_LENGTH = 8;

/**
 * The secret's bytes in base64 (and base64url) as they appear inside a longer encoded text: at
 * each of the three alignments, only the characters that depend on the secret alone.
 */
function base64Forms(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const forms: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		const first = Math.ceil((8 * offset) / 6);
		const end = Math.floor((8 * (offset + bytes.length)) / 6);
		const pure = encoded.slice(first, end);
		forms.push(pure, pure.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return forms;
}

/**
 * The forms a secret comes back in: as sent; percent-encoded once or twice, with `+` for spaces
 * (a URL, a form); hex and base64 (a signature, a Basic header, a token); `\u`-escaped (JSON).
 * Matching ignores case, which also covers a host name lowercased by the URL parser and `%2f`.
 */
function formsOf(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret === '') continue;
		forms.add(secret);
		if (secret.length < MIN_ENCODED_LENGTH) continue;
		const once = encodeURIComponent(secret);
		forms.add(once).add(encodeURIComponent(once)).add(new URLSearchParams({ s: secret }).toString().slice(2));
		forms.add(Buffer.from(secret, 'utf8').toString('hex'));
		forms.add([...secret].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
		for (const form of base64Forms(secret)) forms.add(form);
	}
	// Longest first, so a form that contains another is replaced whole.
	return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

export class SecretScrubber {
	private readonly pattern: RegExp | undefined;

	constructor(secrets: readonly string[]) {
		const forms = formsOf(secrets);
		this.pattern = forms.length === 0 ? undefined : new RegExp(forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
	}

	text(value: string): string {
		return this.pattern ? value.replace(this.pattern, REDACTED) : value;
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
