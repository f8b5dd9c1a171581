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

/** Every status but success and 404 (the answer for a task that does not exist): the test fails on them. */
const FAILING_STATUSES = Array.from({ length: 500 }, (_, index) => 100 + index).filter(
	(status) => (status < 200 || status > 299) && status !== 404,
);
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

const REJECTED_KEY = 'The Spark API rejected this API key (401 Unauthorized)';
const FORBIDDEN_KEY = 'This API key has no access to the Spark Edit Portrait API (403 Forbidden)';
const REDIRECTED = 'The Base URL answered with a redirect. The key is sent only to the Base URL itself: set the Base URL to the address the API really uses.';
const WEB_PAGE = 'The Base URL answered with a web page, not the Spark API: check the Base URL and the Task Status Path';
const EMPTY_ANSWER = 'The Base URL answered with an empty body, not the Spark API: check the Base URL and the Task Status Path';

export class SparkPortraitVtrixApi implements ICredentialType {
	name = 'sparkPortraitVtrixApi';

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
	 * A known key gets "task not found" (404) or a task answer; any other status fails the test
	 * (n8n 2.x), and the key is never sent on to wherever a redirect points. n8n 1.x ignores the
	 * status list and passes every status on, so there the body rules below decide alone.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: `={{"/" + ($credentials.taskStatusPath || "${DEFAULT_TASK_STATUS_PATH}").replace(/^\\/+/, "").replace("{taskId}", "${CREDENTIAL_TEST_TASK_ID}")}}`,
			method: 'GET',
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: { ignore: true, except: FAILING_STATUSES },
		},
		// n8n reads responseCode rules for a status it was told to fail on, responseSuccessBody rules
		// for an answer it passed on; its type wants one kind per list, its tester takes both.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: REJECTED_KEY } },
			{ type: 'responseCode', properties: { value: 403, message: FORBIDDEN_KEY } },
			...REDIRECT_STATUSES.map((value) => ({ type: 'responseCode' as const, properties: { value, message: REDIRECTED } })),
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: '401', message: REJECTED_KEY } },
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: '403', message: FORBIDDEN_KEY } },
			// A body that is text, not JSON: its first character is "<" for a web page, its length 0 when empty.
			{ type: 'responseSuccessBody', properties: { key: '0', value: '<', message: WEB_PAGE } },
			{ type: 'responseSuccessBody', properties: { key: 'length', value: 0, message: EMPTY_ANSWER } },
		] as ICredentialTestRequest['rules'],
	};
}
