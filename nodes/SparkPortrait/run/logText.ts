/**
 * Text from a server, made safe for a log line. A task id is the server's to choose: quoted and
 * escaped it cannot forge a second line (a newline, a control or line-separator character), and
 * cut it cannot flood the log. Outputs and errors keep the exact id.
 */
export const LOG_TEXT_MAX_CHARS = 100;

export function quotedForLog(text: string, maxChars = LOG_TEXT_MAX_CHARS): string {
	const cut = text.length > maxChars;
	// JSON escapes quotes, backslashes and control characters; U+2028/U+2029 break lines in some viewers.
	const quoted = JSON.stringify(cut ? text.slice(0, maxChars) : text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
	return cut ? `${quoted}… (${text.length} characters)` : quoted;
}
