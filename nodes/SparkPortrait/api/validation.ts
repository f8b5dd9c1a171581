/**
 * Checks every parameter against the API document before anything is sent, so a bad value costs
 * nothing. Messages name the field (as the UI shows it, with the API name) and the allowed values.
 */
import {
	GEN_MODE_AUTO,
	GEN_MODES,
	MODEL_ID,
	PROMPT_MAX_CHARS,
	SEED_RANDOM,
	SIZE_MAX,
	SIZE_MIN,
	STRENGTH_OPTIONS,
} from './constants';
import { InputError } from '../errors/failures';
import type { CreateTaskBody, GenMode } from './types';

/** The node's parameters the create body is made of. */
export const PORTRAIT_PARAMETERS = ['model', 'imageUrl', 'prompt', 'width', 'height', 'gpen', 'skin', 'skinUnifi', 'genMode', 'seed'] as const;

/** The parameters as the node reads them; values may be anything an expression produced. */
export type PortraitInput = Record<(typeof PORTRAIT_PARAMETERS)[number], unknown>;

function show(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`;
	if (value === undefined) return 'nothing';
	return JSON.stringify(value) ?? String(value);
}

/** The one number coercer: numbers typed into a field, produced by an expression or sent by the API may arrive as strings. */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value.trim());
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

export function validateImageUrl(value: unknown): string {
	const field = 'Image URL (image_input)';
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new InputError(field, 'is required: give the http(s) URL of a JPG or PNG portrait');
	}
	if (!URL.canParse(text)) {
		throw new InputError(field, `must be an absolute http:// or https:// URL; got ${show(text)}`);
	}
	const url = new URL(text);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new InputError(field, `must use http:// or https://; got a ${url.protocol.replace(':', '')}: URL (${show(text)})`);
	}
	if (/\s/.test(text)) {
		throw new InputError(field, `must not contain spaces; encode them as %20 (got ${show(text)})`);
	}
	return url.href;
}

function validateSize(value: unknown, field: string): number {
	const number = toNumber(value);
	if (number === undefined || !Number.isInteger(number) || number < SIZE_MIN || number > SIZE_MAX) {
		throw new InputError(field, `must be a whole number of pixels from ${SIZE_MIN} to ${SIZE_MAX}; got ${show(value)}`);
	}
	return number;
}

function validateStrength(value: unknown, field: string): number {
	const number = toNumber(value);
	const match = number === undefined ? undefined : STRENGTH_OPTIONS.find((option) => Math.abs(option - number) < 1e-9);
	if (match === undefined) {
		throw new InputError(field, `must be one of ${STRENGTH_OPTIONS.join(', ')}; got ${show(value)}`);
	}
	return match;
}

function validateGenMode(value: unknown): GenMode | undefined {
	if (value === undefined || value === null || value === '' || value === GEN_MODE_AUTO) return undefined;
	const mode = GEN_MODES.find((option) => option === value);
	if (mode === undefined) {
		throw new InputError('Reference Mode (gen_mode)', `must be one of ${[GEN_MODE_AUTO, ...GEN_MODES].join(', ')}; got ${show(value)}`);
	}
	return mode;
}

function validateSeed(value: unknown): string {
	const number = value === undefined || value === '' ? SEED_RANDOM : toNumber(value);
	if (number === undefined || !Number.isSafeInteger(number) || number < SEED_RANDOM) {
		throw new InputError('Seed (seed)', `must be -1 (random) or a whole number of 0 or more; got ${show(value)}`);
	}
	return String(number);
}

function validatePrompt(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') {
		throw new InputError('Prompt (prompt)', `must be text; got ${show(value)}`);
	}
	// Characters as people count them (an emoji is one), without spreading a huge text into an array.
	const length = value.length <= PROMPT_MAX_CHARS ? value.length : value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
	if (length > PROMPT_MAX_CHARS) {
		throw new InputError('Prompt (prompt)', `must be at most ${PROMPT_MAX_CHARS} characters; got ${length}`);
	}
	return value.trim() === '' ? undefined : value;
}

function validateModel(value: unknown): string {
	if (value !== MODEL_ID) {
		throw new InputError('Model (model)', `must be ${MODEL_ID}; got ${show(value)}`);
	}
	return MODEL_ID;
}

/** Returns the exact body of the create request, or throws an InputError for the first bad field. */
export function buildCreateTaskBody(input: PortraitInput): CreateTaskBody {
	const body: CreateTaskBody = {
		model: validateModel(input.model),
		image_input: validateImageUrl(input.imageUrl),
		width: validateSize(input.width, 'Width (width)'),
		height: validateSize(input.height, 'Height (height)'),
		gpen: validateStrength(input.gpen, 'HD Effect (gpen)'),
		skin: validateStrength(input.skin, 'Skin Beautification (skin)'),
		skin_unifi: validateStrength(input.skinUnifi, 'Skin Uniformity (skin_unifi)'),
		seed: validateSeed(input.seed),
	};
	const prompt = validatePrompt(input.prompt);
	if (prompt !== undefined) body.prompt = prompt;
	const genMode = validateGenMode(input.genMode);
	if (genMode !== undefined) body.gen_mode = genMode;
	return body;
}

/** A UTF-16 surrogate without its other half: not text, so no URL can carry it (encodeURIComponent throws). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A task id as the status URL carries it. "." and ".." are path segments, not ids: in the status
 * URL they would point the request (and the key) at another path of the API.
 */
export function taskIdForPath(taskId: string): string {
	if (/^\.+$/.test(taskId)) {
		throw new InputError('Task ID', `must not be only dots; got ${show(taskId)}`);
	}
	const lone = LONE_SURROGATE.exec(taskId);
	if (lone) {
		const code = lone[0].charCodeAt(0).toString(16).toUpperCase();
		// JSON shows the lone half as \uXXXX: printed raw it would be a replacement character.
		throw new InputError('Task ID', `must be valid Unicode text, but it holds half of a character pair (U+${code}) at position ${lone.index + 1}, which no URL can carry; got ${JSON.stringify(taskId.slice(0, 80))}`);
	}
	return taskId;
}

export function validateTaskId(value: unknown): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '') {
		throw new InputError('Task ID', 'is required: use the taskId output of a Create Task or Edit Portrait node');
	}
	if (/[\s/?#]/.test(text)) {
		throw new InputError('Task ID', `must not contain spaces, "/", "?" or "#"; got ${show(text)}`);
	}
	return taskIdForPath(text);
}
