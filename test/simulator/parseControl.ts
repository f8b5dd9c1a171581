import type { FaultKind, FaultRoute, FaultSpec, SimulatorOptions, TaskOutcome } from './types';

const FAULT_ROUTES: readonly FaultRoute[] = ['create', 'status', 'download', 'fixture', 'any'];
const FAULT_KINDS: readonly FaultKind[] = ['delay', 'http', 'drop', 'malformed', 'hang', 'redirect', 'trickle', 'gzipBomb', 'extend'];

type Fields = Record<string, unknown>;

/** Checks a fault from code or from JSON. JSON has no Infinity, so times also takes "Infinity" or null. */
export function parseFault(input: unknown): FaultSpec {
	const fields = asObject(input, 'fault');
	const route = fields.route as FaultRoute;
	const kind = fields.kind as FaultKind;
	if (!FAULT_ROUTES.includes(route)) throw new Error(`fault.route must be one of ${FAULT_ROUTES.join(', ')}`);
	if (!FAULT_KINDS.includes(kind)) throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
	const spec: FaultSpec = { route, kind };
	const times = fields.times === 'Infinity' || fields.times === null ? Infinity : fields.times;
	if (times !== undefined) spec.times = positive(times, 'fault.times');
	if (fields.after !== undefined) spec.after = positive(fields.after, 'fault.after');
	if (fields.taskId !== undefined) spec.taskId = text(fields.taskId, 'fault.taskId');
	if (fields.delayMs !== undefined) spec.delayMs = positive(fields.delayMs, 'fault.delayMs');
	if (fields.statusCode !== undefined) spec.statusCode = httpStatus(fields.statusCode);
	if (fields.retryAfterSeconds !== undefined) spec.retryAfterSeconds = positive(fields.retryAfterSeconds, 'fault.retryAfterSeconds');
	if (fields.body !== undefined) spec.body = fields.body;
	if (fields.text !== undefined) spec.text = text(fields.text, 'fault.text');
	if (fields.process !== undefined) spec.process = fields.process === true;
	if (fields.location !== undefined) spec.location = text(fields.location, 'fault.location');
	if (fields.intervalMs !== undefined) spec.intervalMs = positive(fields.intervalMs, 'fault.intervalMs');
	if (fields.inflatedBytes !== undefined) spec.inflatedBytes = positive(fields.inflatedBytes, 'fault.inflatedBytes');
	if (fields.fields !== undefined) spec.fields = asObject(fields.fields, 'fault.fields');
	if (kind === 'extend' && spec.fields === undefined) throw new Error("fault.fields is required for kind 'extend'");
	if (kind === 'http' && spec.statusCode === undefined) throw new Error("fault.statusCode is required for kind 'http'");
	if (kind === 'redirect' && spec.location === undefined) throw new Error("fault.location is required for kind 'redirect'");
	return spec;
}

export function parseFaults(input: unknown): FaultSpec[] {
	return (Array.isArray(input) ? input : [input]).map(parseFault);
}

export function parseOutcome(input: unknown): TaskOutcome {
	const fields = asObject(input, 'outcome');
	if (fields.kind === 'never') return { kind: 'never' };
	const duration = fields.durationMs === undefined ? {} : { durationMs: positive(fields.durationMs, 'outcome.durationMs') };
	if (fields.kind === 'complete') return { kind: 'complete', ...duration };
	if (fields.kind !== 'fail') throw new Error("outcome.kind must be 'complete', 'fail' or 'never'");
	const outcome: TaskOutcome = { kind: 'fail', code: text(fields.code, 'outcome.code'), ...duration };
	if (fields.message !== undefined) outcome.message = text(fields.message, 'outcome.message');
	return outcome;
}

export function parseOutcomes(input: unknown): TaskOutcome[] {
	return (Array.isArray(input) ? input : [input]).map(parseOutcome);
}

/** Options over HTTP: everything but the logger, which is a function. Values are checked by configure. */
export function parseOptions(input: unknown): Partial<SimulatorOptions> {
	const fields = asObject(input, 'options');
	if ('log' in fields) throw new Error("option 'log' cannot be set over HTTP");
	return fields as Partial<SimulatorOptions>;
}

function asObject(input: unknown, what: string): Fields {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error(`${what} must be a JSON object`);
	return input as Fields;
}

function positive(value: unknown, what: string): number {
	if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new Error(`${what} must be a number >= 0`);
	return value;
}

function text(value: unknown, what: string): string {
	if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty string`);
	return value;
}

function httpStatus(value: unknown): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 599) {
		throw new Error('fault.statusCode must be an HTTP status code');
	}
	return value;
}
