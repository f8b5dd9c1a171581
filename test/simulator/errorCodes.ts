import type { TaskError } from './types';

/** The error codes of the API document, with its descriptions as the default messages. */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
	'003010001': 'Missing image input',
	'003010002': 'Invalid parameter',
	'003010003': 'Invalid image format, only JPG/JPEG/PNG supported',
	'003010095': 'Internal generation error',
	'003010096': 'Result parsing error',
	'003010097': 'HTTP error response',
	'003010098': 'Status check error',
	'003010099': 'Task creation error',
};

export const CODE = {
	missingImage: '003010001',
	invalidParameter: '003010002',
	invalidFormat: '003010003',
	internal: '003010095',
	httpError: '003010097',
} as const;

/** The document's message for a code, with an optional detail that names what went wrong. */
export function taskError(code: string, detail?: string): TaskError {
	const base = ERROR_MESSAGES[code] ?? 'Task failed';
	return { code, error_message: detail ? `${base}: ${detail}` : base };
}

/** The error of a task failed on purpose by a test: its own message, else the document's. */
export function outcomeError(code: string, message?: string): TaskError {
	return { code, error_message: message ?? ERROR_MESSAGES[code] ?? 'Task failed' };
}

/** Error body for non-task errors (auth, not found, rate limit, injected faults). */
export function plainError(code: string, message: string): { error: TaskError } {
	return { error: { code, error_message: message } };
}
