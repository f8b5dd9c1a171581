/**
 * Where requests go and in which shape: the credential's host, paths (Vtrix's by default) and Request
 * Format become URLs, and a setting that cannot work is refused before any request.
 */
import {
	CUSTOM_ENDPOINT_FIELDS,
	DEFAULT_BASE_URL,
	DEFAULT_CREATE_TASK_PATH,
	DEFAULT_TASK_STATUS_PATH,
	SAVED_ENDPOINT_FIELDS,
	TASK_ID_SLOT,
	VTRIX_API_KEYS_URL,
} from './paths';
import { readRequestFormat } from './requestFormat';
import { taskIdForPath } from './validation';
import { InputError } from '../errors/failures';

export type SparkEndpoints = ReturnType<typeof resolveEndpoints>;

type EndpointField = (typeof SAVED_ENDPOINT_FIELDS)[number];

/** What n8n hands over: the key, the toggle, and the endpoint fields under their custom or saved names. */
export type SparkCredentialData = { apiKey?: unknown } & Partial<Record<EndpointField | (typeof CUSTOM_ENDPOINT_FIELDS)[keyof typeof CUSTOM_ENDPOINT_FIELDS], unknown>>;

/** The endpoint fields in use: the custom ones when the toggle is on, else the saved ones (paths.ts), where empty means Vtrix's. */
function endpointFields(credentials: SparkCredentialData): Record<EndpointField, unknown> {
	const custom = credentials[CUSTOM_ENDPOINT_FIELDS.toggle] === true;
	const fields = Object.fromEntries(SAVED_ENDPOINT_FIELDS.map((field) => [field, credentials[custom ? CUSTOM_ENDPOINT_FIELDS[field] : field]]));
	return { ...fields, baseUrl: custom ? fields.baseUrl : textOr(fields.baseUrl, DEFAULT_BASE_URL) } as Record<EndpointField, unknown>;
}

/** The trimmed text of a field, or `fallback` when it holds none. */
function textOr(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function joinUrl(baseUrl: string, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function readBaseUrl(value: unknown): string {
	const field = 'Base URL (Vtrix API credential)';
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new InputError(field, `is empty: set it to Vtrix's ${DEFAULT_BASE_URL} (or the gateway you use)`);
	}
	if (!/^https?:\/\//i.test(text)) {
		throw new InputError(field, `must start with http:// or https://; got "${text}"`);
	}
	if (!URL.canParse(text)) {
		throw new InputError(field, `is not a valid URL: "${text}"`);
	}
	return text;
}

export function resolveEndpoints(credentials: SparkCredentialData) {
	if (typeof credentials.apiKey !== 'string' || credentials.apiKey.trim() === '') {
		throw new InputError('API Key (Vtrix API credential)', `is empty: paste a key from vtrix.ai, Settings, API Keys (${VTRIX_API_KEYS_URL})`);
	}
	const fields = endpointFields(credentials);
	const baseUrl = readBaseUrl(fields.baseUrl);
	const createPath = textOr(fields.createTaskPath, DEFAULT_CREATE_TASK_PATH);
	const statusPath = textOr(fields.taskStatusPath, DEFAULT_TASK_STATUS_PATH);
	if (!statusPath.includes(TASK_ID_SLOT)) {
		throw new InputError('Task Status Path (Vtrix API credential)', `must contain ${TASK_ID_SLOT} where the task id goes; got "${statusPath}"`);
	}
	return {
		baseUrl,
		createTaskUrl: joinUrl(baseUrl, createPath),
		taskStatusUrl: (taskId: string) => joinUrl(baseUrl, statusPath.split(TASK_ID_SLOT).join(encodeURIComponent(taskIdForPath(taskId)))),
		requestFormat: readRequestFormat(fields.requestFormat),
	};
}

/** Where Vtrix's own API takes a create or a status read, for a message about a wrong path. */
export function vtrixUrlFor(kind: 'create' | 'status'): string {
	return joinUrl(DEFAULT_BASE_URL, kind === 'create' ? DEFAULT_CREATE_TASK_PATH : DEFAULT_TASK_STATUS_PATH);
}
