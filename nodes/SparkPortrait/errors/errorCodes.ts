/** "Missing image input": the node always sends the image, so from the API this means it looked elsewhere. */
export const MISSING_IMAGE_CODE = '003010001';

/** The API document's error-code table, with what a user can do about each code. */
export const ERROR_CODES: Record<string, { title: string; hint: string }> = {
	[MISSING_IMAGE_CODE]: {
		title: 'Missing image input',
		hint: 'Set Image URL to a public http(s) URL of a JPG or PNG portrait.',
	},
	'003010002': {
		title: 'Invalid parameter',
		hint: 'Check the parameters against their ranges: width and height 512-2048, the strength options 0-1 in steps of 0.1, an integer seed. The input image must be at most 5 MB and 4096 x 4096 pixels.',
	},
	'003010003': {
		title: 'Invalid image format, only JPG/JPEG/PNG supported',
		hint: 'Convert the image to JPG (recommended) or PNG, for example with the Edit Image node, and pass its URL.',
	},
	'003010095': {
		title: 'Internal generation error',
		hint: 'The service failed while generating the image. Try again; if it keeps failing, try another image with one clear, frontal face.',
	},
	'003010096': {
		title: 'Result parsing error',
		hint: 'The service could not read its own result. Try again later.',
	},
	'003010097': {
		title: 'HTTP error response',
		hint: 'The service got an HTTP error, often while fetching the input image. Check that Image URL is publicly reachable, then try again.',
	},
	'003010098': {
		title: 'Status check error',
		hint: 'The service could not check the task. Read it again later with Get Task Status.',
	},
	'003010099': {
		title: 'Task creation error',
		hint: 'The service could not create the task. Try again later.',
	},
};

/** The code of an error that came without one (Vtrix's client reads `error` as plain text). */
export const NO_ERROR_CODE = 'unknown';

/** Codes arrive as strings, but a JSON number loses the leading zeros: accept both. */
export function normaliseErrorCode(code: unknown): string | undefined {
	if (typeof code === 'number' && Number.isFinite(code)) return String(code).padStart(9, '0');
	const text = typeof code === 'string' ? code.trim() : '';
	if (text === '') return undefined;
	return /^\d{4,9}$/.test(text) ? text.padStart(9, '0') : text;
}

/** Own codes only: a code "constructor" or "__proto__" from a server is not in the table. */
export function describeErrorCode(code: string): (typeof ERROR_CODES)[string] | undefined {
	return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code] : undefined;
}

/** The document's codes 003010095-003010099: failures inside the service, which a resubmission may get past. */
export function isServerSideCode(code: string | undefined): boolean {
	return code !== undefined && /^00301009[5-9]$/.test(code);
}
