/**
 * The one way to read a response header. n8n's helpers hand a repeated header over as an array
 * (the first one counts here) and some values as numbers; every reader goes through headerText.
 */
export function headerText(value: unknown): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first).trim() : undefined;
}
