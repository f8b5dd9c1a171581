import { CODE, taskError } from './errorCodes';
import type { GenMode, TaskError, TaskParams } from './types';

export const MODEL = 'spark_edit_portrait';
export const DEFAULT_PROMPT = 'Concert group photo, flash photography';

const KNOWN_FIELDS = ['model', 'image_input', 'prompt', 'width', 'height', 'gpen', 'skin', 'skin_unifi', 'gen_mode', 'seed'];
const GEN_MODES: readonly GenMode[] = ['creative', 'reference', 'reference_char'];

export type Validation = { ok: true; params: TaskParams } | { ok: false; error: TaskError };

type Body = Record<string, unknown>;

/** Checks a create body against the API document and fills in its defaults. */
export function validateCreate(body: unknown): Validation {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return invalid('request body must be a JSON object');
	}
	const fields = body as Body;
	const unknown = Object.keys(fields).find((key) => !KNOWN_FIELDS.includes(key));
	if (unknown !== undefined) return invalid(`unknown parameter '${unknown}'`);
	if (fields.model !== MODEL) return invalid(`model must be '${MODEL}'`);

	const image = fields.image_input;
	if (image === undefined || image === null || image === '') return { ok: false, error: taskError(CODE.missingImage) };
	if (typeof image !== 'string' || !isHttpUrl(image)) return invalid('image_input must be an http(s) URL');

	const prompt = fields.prompt;
	if (prompt !== undefined && typeof prompt !== 'string') return invalid('prompt must be a string');
	const givenPrompt = typeof prompt === 'string' && prompt.trim() !== '' ? prompt : undefined;

	const problem =
		checkInteger(fields, 'width') ??
		checkInteger(fields, 'height') ??
		checkTenth(fields, 'gpen') ??
		checkTenth(fields, 'skin') ??
		checkTenth(fields, 'skin_unifi') ??
		checkGenMode(fields) ??
		checkSeed(fields);
	if (problem) return invalid(problem);

	return {
		ok: true,
		params: {
			image_input: image,
			prompt: givenPrompt ?? DEFAULT_PROMPT,
			width: (fields.width as number | undefined) ?? 1328,
			height: (fields.height as number | undefined) ?? 1328,
			gpen: (fields.gpen as number | undefined) ?? 0.4,
			skin: (fields.skin as number | undefined) ?? 0.3,
			skin_unifi: (fields.skin_unifi as number | undefined) ?? 0,
			// Manual input wins; otherwise the document's automatic switching on the prompt.
			gen_mode: (fields.gen_mode as GenMode | undefined) ?? (givenPrompt ? 'creative' : 'reference'),
			seed: (fields.seed as string | undefined) ?? '-1',
		},
	};
}

function invalid(detail: string): Validation {
	return { ok: false, error: taskError(CODE.invalidParameter, detail) };
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function checkInteger(fields: Body, name: 'width' | 'height'): string | undefined {
	const value = fields[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 512 || value > 2048) {
		return `${name} must be an integer between 512 and 2048`;
	}
	return undefined;
}

/** The document lists 0, 0.1, ... 1; the tolerance absorbs float noise such as 0.30000000000000004. */
function checkTenth(fields: Body, name: 'gpen' | 'skin' | 'skin_unifi'): string | undefined {
	const value = fields[name];
	if (value === undefined) return undefined;
	const ok = typeof value === 'number' && value >= 0 && value <= 1 && Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
	return ok ? undefined : `${name} must be one of 0, 0.1, 0.2, ... 1`;
}

function checkGenMode(fields: Body): string | undefined {
	const value = fields.gen_mode;
	if (value === undefined || GEN_MODES.includes(value as GenMode)) return undefined;
	return `gen_mode must be one of ${GEN_MODES.join(', ')}`;
}

function checkSeed(fields: Body): string | undefined {
	const value = fields.seed;
	if (value === undefined) return undefined;
	if (typeof value === 'string' && /^(-1|\d+)$/.test(value)) return undefined;
	return "seed must be a string holding an integer: '-1' (random) or >= 0";
}
