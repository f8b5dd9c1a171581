/**
 * Text from a server, made safe for a log line. A task id is the server's to choose: quoted and
 * escaped it cannot forge a second line, move a terminal's cursor or turn the rest of the line
 * around, and cut it cannot flood the log. Outputs and errors keep the exact id.
 */
export const LOG_TEXT_MAX_CHARS = 100;

/**
 * What JSON leaves raw but a log viewer or terminal still obeys: C1 controls (U+0085 is a line
 * break, U+009B starts an escape sequence), line and paragraph separators, and the bidirectional
 * marks, embeddings, overrides and isolates.
 */
const RAW_IN_JSON = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function quotedForLog(text: string, maxChars = LOG_TEXT_MAX_CHARS): string {
	const cut = text.length > maxChars;
	// JSON escapes quotes, backslashes, C0 controls and lone surrogates; the rest is escaped the same way.
	const quoted = JSON.stringify(cut ? text.slice(0, maxChars) : text).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return cut ? `${quoted}… (${text.length} characters)` : quoted;
}
