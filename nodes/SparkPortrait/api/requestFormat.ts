/**
 * The two shapes a create body can take. Vtrix's model page lists the fields flat; Vtrix's own
 * command-line client (and every other working integration seen) wraps them as
 * `{model, input: [{params}]}`, so that is the default and the flat form is one setting away.
 */
import type { CreateTaskBody, CreateTaskRequest } from './types';
import { InputError } from '../errors/failures';

const REQUEST_FORMATS = ['vtrixClient', 'flat'] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];
export const DEFAULT_REQUEST_FORMAT: RequestFormat = 'vtrixClient';

/** How the credential's Request Format field names each value. */
export const REQUEST_FORMAT_NAMES: Record<RequestFormat, string> = {
	vtrixClient: 'Vtrix Client',
	flat: 'Flat Fields',
};

const FIELD = 'Request Format (Vtrix API credential)';

/** A credential saved before the field existed has none: it gets the default. */
export function readRequestFormat(value: unknown): RequestFormat {
	if (value === undefined || value === null || value === '') return DEFAULT_REQUEST_FORMAT;
	const format = REQUEST_FORMATS.find((option) => option === value);
	if (format === undefined) {
		throw new InputError(FIELD, `must be one of ${REQUEST_FORMATS.join(', ')}; got ${JSON.stringify(value)}`);
	}
	return format;
}

/** The body exactly as it goes on the wire; the node keys everything else (Retry On Fail) on the fields. */
export function createRequest(body: CreateTaskBody, format: RequestFormat): CreateTaskRequest {
	if (format === 'flat') return body;
	const { model, ...params } = body;
	return { model, input: [{ params }] };
}

export function formatNames(format: RequestFormat): { sent: string; other: string } {
	return { sent: REQUEST_FORMAT_NAMES[format], other: REQUEST_FORMAT_NAMES[format === 'flat' ? 'vtrixClient' : 'flat'] };
}
