/**
 * Where requests go. The API document names no host and no paths, so both live in the credential;
 * this module turns them into URLs and refuses a base URL that cannot work before any request.
 */
import { DEFAULT_CREATE_TASK_PATH, DEFAULT_TASK_STATUS_PATH, TASK_ID_SLOT } from './paths';
import { InputError, refuseDotOnlyId } from './validation';

export interface SparkEndpoints {
	baseUrl: string;
	createTaskUrl: string;
	taskStatusUrl(taskId: string): string;
}

export interface SparkCredentialData {
	apiKey?: unknown;
	baseUrl?: unknown;
	createTaskPath?: unknown;
	taskStatusPath?: unknown;
}

function joinUrl(baseUrl: string, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function readBaseUrl(value: unknown): string {
	const field = 'Base URL (Spark API credential)';
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new InputError(field, `${field} is empty: set it to the API host your Spark account uses, e.g. https://api.your-spark-host.com`);
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
		throw new InputError('API Key (Spark API credential)', 'API Key (Spark API credential) is empty: paste the key from your Spark API key page');
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
			'Task Status Path (Spark API credential)',
			`Task Status Path (Spark API credential) must contain ${TASK_ID_SLOT} where the task id goes; got "${statusPath}"`,
		);
	}
	return {
		baseUrl,
		createTaskUrl: joinUrl(baseUrl, createPath),
		taskStatusUrl: (taskId) => joinUrl(baseUrl, statusPath.split(TASK_ID_SLOT).join(encodeURIComponent(refuseDotOnlyId(taskId)))),
	};
}
