import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	CREDENTIAL_TEST_TASK_ID,
	DEFAULT_CREATE_TASK_PATH,
	DEFAULT_TASK_STATUS_PATH,
} from '../nodes/SparkPortrait/api/paths';

export class SparkApi implements ICredentialType {
	name = 'sparkApi';

	displayName = 'Spark API';

	icon = { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-spark-portrait#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The key from your Spark API key management page. It is sent as "Authorization: Bearer <key>".',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://api.your-spark-host.com',
			description: 'The address of the Spark API your account uses, with http:// or https://. The API documentation names no public host, so there is no default.',
		},
		{
			displayName: 'Create Task Path',
			name: 'createTaskPath',
			type: 'string',
			default: DEFAULT_CREATE_TASK_PATH,
			description: 'Path (appended to Base URL) that creates an Edit Portrait task with a POST request',
		},
		{
			displayName: 'Task Status Path',
			name: 'taskStatusPath',
			type: 'string',
			default: DEFAULT_TASK_STATUS_PATH,
			description: 'Path (appended to Base URL) that returns a task\'s status with a GET request; {taskId} is replaced by the task ID',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	/**
	 * Reads the status of a task that cannot exist, so a test never creates (and pays for) a task.
	 * The answer is accepted whatever its HTTP status (a known key gets "task not found"); the
	 * rules then reject the bodies the API sends for a key it does not accept.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: `={{"/" + ($credentials.taskStatusPath || "${DEFAULT_TASK_STATUS_PATH}").replace(/^\\/+/, "").replace("{taskId}", "${CREDENTIAL_TEST_TASK_ID}")}}`,
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: '401', message: 'The Spark API rejected this API key (401 Unauthorized)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: '403', message: 'This API key has no access to the Spark Edit Portrait API (403 Forbidden)' },
			},
		],
	};
}
