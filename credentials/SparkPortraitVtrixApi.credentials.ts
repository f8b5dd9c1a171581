import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	CREDENTIAL_TEST_TASK_ID,
	DEFAULT_BASE_URL,
	DEFAULT_CREATE_TASK_PATH,
	DEFAULT_TASK_STATUS_PATH,
	REDIRECT_STATUSES,
	VTRIX_API_KEYS_URL,
} from '../nodes/SparkPortrait/api/paths';
import { DEFAULT_REQUEST_FORMAT, REQUEST_FORMAT_NAMES } from '../nodes/SparkPortrait/api/requestFormat';

/** Every status but success and 404 (the answer for a task that does not exist): the test fails on them. */
const FAILING_STATUSES = Array.from({ length: 500 }, (_, index) => 100 + index).filter(
	(status) => (status < 200 || status > 299) && status !== 404,
);

const REJECTED_KEY = 'Vtrix rejected this API key (401 Unauthorized): copy a key from vtrix.ai, Settings, API Keys';
const FORBIDDEN_KEY = 'Vtrix refused this API key (403 Forbidden): Vtrix answers 403 when the balance is insufficient or the key has no permission';
const REDIRECTED = 'The Base URL answered with a redirect. The key is sent only to the Base URL itself: set the Base URL to the address the API really uses.';
const WEB_PAGE = 'The Base URL answered with a web page, not the Vtrix API: check the Base URL and the Task Status Path';
const EMPTY_ANSWER = 'The Base URL answered with an empty body, not the Vtrix API: check the Base URL and the Task Status Path';

export class SparkPortraitVtrixApi implements ICredentialType {
	name = 'sparkPortraitVtrixApi';

	// n8n's lint wants a credential's name to end in "API".
	displayName = 'Vtrix Spark Portrait API';

	icon = { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' } as const;

	// The model page (VTRIX_MODEL_PAGE_URL; n8n's lint wants the literal here).
	documentationUrl = 'https://doc.vtrix.ai/docs/api/vtrix/spark-edit-portrait';

	properties: INodeProperties[] = [
		{
			displayName: `Spark Edit Portrait is a Vtrix model. Get an API key on vtrix.ai: Settings → API Keys (${VTRIX_API_KEYS_URL}). The other fields already point at Vtrix.`,
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: `A Vtrix API key, from vtrix.ai → Settings → API Keys (${VTRIX_API_KEYS_URL}). It is sent as "Authorization: Bearer <key>".`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: DEFAULT_BASE_URL,
			description: 'Vtrix\'s API host. Change it only for another gateway that serves the same API.',
		},
		{
			displayName: 'Request Format',
			name: 'requestFormat',
			type: 'options',
			default: DEFAULT_REQUEST_FORMAT,
			options: [
				{
					name: REQUEST_FORMAT_NAMES.vtrixClient,
					value: 'vtrixClient',
					description: 'Fields wrapped as {"model", "input": [{"params": {...}}]}, as Vtrix\'s own client sends them',
				},
				{
					name: REQUEST_FORMAT_NAMES.flat,
					value: 'flat',
					description: 'Fields at the top level, as the model page lists them',
				},
			],
			description: 'The shape of the create request body. Switch only if the API answers 400 about the body\'s shape.',
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
