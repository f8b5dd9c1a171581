/**
 * Where requests go and in which shape. The credential holds the host, the paths (Vtrix's by
 * default) and the Request Format; this module turns them into URLs and refuses a setting that
 * cannot work before any request.
 */
import { DEFAULT_BASE_URL, DEFAULT_CREATE_TASK_PATH, DEFAULT_TASK_STATUS_PATH, TASK_ID_SLOT, VTRIX_API_KEYS_URL } from './paths';
import { readRequestFormat, type RequestFormat } from './requestFormat';
import { taskIdForPath } from './validation';
import { InputError } from '../errors/failures';

export interface SparkEndpoints {
	baseUrl: string;
	createTaskUrl: string;
	taskStatusUrl(taskId: string): string;
	requestFormat: RequestFormat;
}

export interface SparkCredentialData {
	apiKey?: unknown;
	baseUrl?: unknown;
	requestFormat?: unknown;
	createTaskPath?: unknown;
	taskStatusPath?: unknown;
}

function joinUrl(baseUrl: string, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function readBaseUrl(value: unknown): string {
	const field = 'Base URL (Vtrix API credential)';
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new InputError(field, `${field} is empty: set it to Vtrix's ${DEFAULT_BASE_URL} (or the gateway you use)`);
	}
	if (!/^https?:\/\//i.test(text)) {
		throw new InputError(field, `${field} must start with http:// or https://; got "${text}"`);
	}
	if (!URL.canParse(text)) {
		throw new InputError(field, `${field} is not a valid URL: "${text}"`);
	}
	return text;
}

export function resolveEndpoints(credentials: SparkCredentialData): SparkEndpoints {
	if (typeof credentials.apiKey !== 'string' || credentials.apiKey.trim() === '') {
		throw new InputError('API Key (Vtrix API credential)', `API Key (Vtrix API credential) is empty: paste a key from vtrix.ai, Settings, API Keys (${VTRIX_API_KEYS_URL})`);
	}
	const baseUrl = readBaseUrl(credentials.baseUrl);
	const createPath = typeof credentials.createTaskPath === 'string' && credentials.createTaskPath.trim() !== ''
		? credentials.createTaskPath.trim()
		: DEFAULT_CREATE_TASK_PATH;
	const statusPath = typeof credentials.taskStatusPath === 'string' && credentials.taskStatusPath.trim() !== ''
		? credentials.taskStatusPath.trim()
		: DEFAULT_TASK_STATUS_PATH;
	if (!statusPath.includes(TASK_ID_SLOT)) {
		throw new InputError(
			'Task Status Path (Vtrix API credential)',
			`Task Status Path (Vtrix API credential) must contain ${TASK_ID_SLOT} where the task id goes; got "${statusPath}"`,
		);
	}
	return {
		baseUrl,
		createTaskUrl: joinUrl(baseUrl, createPath),
		taskStatusUrl: (taskId) => joinUrl(baseUrl, statusPath.split(TASK_ID_SLOT).join(encodeURIComponent(taskIdForPath(taskId)))),
		requestFormat: readRequestFormat(credentials.requestFormat),
	};
}

/** Where Vtrix's own API takes a create or a status read, for a message about a wrong path. */
export function vtrixUrlFor(kind: 'create' | 'status'): string {
	return joinUrl(DEFAULT_BASE_URL, kind === 'create' ? DEFAULT_CREATE_TASK_PATH : DEFAULT_TASK_STATUS_PATH);
}
