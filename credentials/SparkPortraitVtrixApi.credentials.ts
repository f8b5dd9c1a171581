import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	CREDENTIAL_TEST_TASK_ID,
	CUSTOM_ENDPOINT_FIELDS,
	DEFAULT_BASE_URL,
	DEFAULT_CREATE_TASK_PATH,
	DEFAULT_TASK_STATUS_PATH,
	REDIRECT_STATUSES,
	SAVED_ENDPOINT_FIELDS,
	VTRIX_API_KEYS_URL,
} from '../nodes/SparkPortrait/api/paths';
import { DEFAULT_REQUEST_FORMAT, REQUEST_FORMAT_NAMES } from '../nodes/SparkPortrait/api/requestFormat';

const FAILING_STATUSES = Array.from({ length: 500 }, (_, index) => 100 + index).filter(
	(status) => (status < 200 || status > 299) && status !== 404,
);

/** An expression for the endpoint field in use: the custom one when the toggle is on, else the saved one. */
function chosen(field: 'baseUrl' | 'taskStatusPath'): string {
	return `($credentials.${CUSTOM_ENDPOINT_FIELDS.toggle} === true ? $credentials.${CUSTOM_ENDPOINT_FIELDS[field]} : $credentials.${field})`;
}

const REJECTED_KEY = 'Vtrix rejected this API key (401 Unauthorized): copy a key from vtrix.ai, Settings, API Keys';
const FORBIDDEN_KEY = 'Vtrix refused this API key (403 Forbidden): Vtrix answers 403 when the balance is insufficient or the key has no permission';
const REDIRECTED = 'The Base URL answered with a redirect. The key is sent only to the Base URL itself: set the Base URL to the address the API really uses.';
const WEB_PAGE = 'The Base URL answered with a web page, not the Vtrix API: check the Base URL and the Task Status Path';
const EMPTY_ANSWER = 'The Base URL answered with an empty body, not the Vtrix API: check the Base URL and the Task Status Path';

/** The fields behind the toggle: shown, and sent to the node, only when Custom Endpoint is on. */
const onlyWithCustomEndpoint = { show: { [CUSTOM_ENDPOINT_FIELDS.toggle]: [true] } };

export class SparkPortraitVtrixApi implements ICredentialType {
	name = 'sparkPortraitVtrixApi';

	// n8n's lint wants a credential's name to end in "API"; the node's errors call it "the Vtrix API credential".
	displayName = 'Vtrix API';

	icon = { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' } as const;

	// The README's Credentials section, which exists before and after the first release (n8n's lint wants the literal).
	documentationUrl = 'https://github.com/OWNER-PLACEHOLDER/n8n-nodes-spark-portrait#credentials';

	properties: INodeProperties[] = [
		{
			displayName: `Get an API key on vtrix.ai: Settings → API Keys (${VTRIX_API_KEYS_URL}). The key is all you need.`,
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
			description: 'Your Vtrix API key. n8n stores it encrypted; the node sends it only to the API\'s own address.',
		},
		{
			displayName: 'Custom Endpoint',
			name: CUSTOM_ENDPOINT_FIELDS.toggle,
			type: 'boolean',
			default: false,
			description: 'Whether to send requests somewhere other than Vtrix\'s API, such as another gateway that serves the same model, or the project\'s simulator',
		},
		{
			displayName: 'Base URL',
			name: CUSTOM_ENDPOINT_FIELDS.baseUrl,
			type: 'string',
			required: true,
			default: DEFAULT_BASE_URL,
			displayOptions: onlyWithCustomEndpoint,
			description: 'The address of the API, starting with http:// or https://',
		},
		{
			displayName: 'Request Format',
			name: CUSTOM_ENDPOINT_FIELDS.requestFormat,
			type: 'options',
			default: DEFAULT_REQUEST_FORMAT,
			displayOptions: onlyWithCustomEndpoint,
			options: [
				{
					name: REQUEST_FORMAT_NAMES.vtrixClient,
					value: 'vtrixClient',
					description: 'The settings grouped under the model, as Vtrix\'s own tools send them',
				},
				{
					name: REQUEST_FORMAT_NAMES.flat,
					value: 'flat',
					description: 'Each setting on its own, as Vtrix\'s model page lists them',
				},
			],
			description: 'How a new task\'s settings are laid out. Change it only if the API refuses new tasks and the error says to.',
		},
		{
			displayName: 'Create Task Path',
			name: CUSTOM_ENDPOINT_FIELDS.createTaskPath,
			type: 'string',
			default: DEFAULT_CREATE_TASK_PATH,
			displayOptions: onlyWithCustomEndpoint,
			description: 'Where new tasks are sent: a path added to the Base URL, or a full URL',
		},
		{
			displayName: 'Task Status Path',
			name: CUSTOM_ENDPOINT_FIELDS.taskStatusPath,
			type: 'string',
			default: DEFAULT_TASK_STATUS_PATH,
			displayOptions: onlyWithCustomEndpoint,
			description: 'Where a task\'s status is read: a path added to the Base URL, or a full URL, with {taskId} where the task ID goes',
		},
		{
			displayName: 'This credential was saved by an earlier version with its own Base URL, which it still uses. To see or change it, turn on Custom Endpoint and enter it there.',
			name: 'savedEndpointNotice',
			type: 'notice',
			default: '',
			displayOptions: { hide: { [CUSTOM_ENDPOINT_FIELDS.toggle]: [true], baseUrl: ['', DEFAULT_BASE_URL] } },
		},
		// Credentials saved before the toggle existed keep their endpoint here, under the names they were saved with:
		// n8n passes on only the fields the form would show, so these are never hidden by a condition.
		...SAVED_ENDPOINT_FIELDS.map((name): INodeProperties => ({ displayName: `Saved ${name}`, name, type: 'hidden', default: '' })),
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
			baseURL: `={{(${chosen('baseUrl')} || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "")}}`,
			url: `={{"/" + (${chosen('taskStatusPath')} || "${DEFAULT_TASK_STATUS_PATH}").replace(/^\\/+/, "").replace("{taskId}", "${CREDENTIAL_TEST_TASK_ID}")}}`,
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
