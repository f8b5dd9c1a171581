import { CODE, taskError } from './errorCodes';
import type { AcceptedFormats, TaskError } from './types';

type Json = Record<string, unknown>;

export type Unwrapped = { ok: true; fields: unknown } | { ok: false; error: TaskError };

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The create fields out of the body, in the shapes the simulator is told to accept: Vtrix's client
 * sends `{model, input: [{params}]}`, the model page lists the fields flat. A wrapped body where
 * only flat is accepted goes on as it is, so the field check refuses its unknown `input`.
 */
export function unwrapCreate(body: unknown, accept: AcceptedFormats): Unwrapped {
	const wrapped = isObject(body) && 'input' in body;
	if (!wrapped || accept === 'flat') {
		if (accept === 'vtrixClient' && isObject(body)) {
			return refuse("missing 'input': send the fields as {\"model\", \"input\": [{\"params\": {...}}]}");
		}
		return { ok: true, fields: body };
	}
	const { model, input, ...rest } = body;
	const extra = Object.keys(rest)[0];
	if (extra !== undefined) return refuse(`unknown parameter '${extra}' beside model and input`);
	if (!Array.isArray(input) || input.length !== 1 || !isObject(input[0]) || !isObject(input[0].params)) {
		return refuse("'input' must be a list holding one {\"params\": {...}} object");
	}
	const { params, ...other } = input[0];
	const stray = Object.keys(other)[0];
	if (stray !== undefined) return refuse(`unknown parameter 'input[0].${stray}' beside params`);
	return { ok: true, fields: { model, ...(params as Json) } };
}

function refuse(detail: string): Unwrapped {
	return { ok: false, error: taskError(CODE.invalidParameter, detail) };
}
