/**
 * Where Vtrix serves spark_edit_portrait, as its API reference and its own command-line client use
 * it. The credential holds them (another gateway, the simulator); this leaf module is what the
 * credential and the endpoint resolver both read.
 */
export const DEFAULT_BASE_URL = 'https://cloud.vtrix.ai';
export const DEFAULT_CREATE_TASK_PATH = '/model/v1/generation';
export const DEFAULT_TASK_STATUS_PATH = '/model/v1/generation/task/{taskId}';
export const TASK_ID_SLOT = '{taskId}';

/**
 * The credential's endpoint fields. The form shows the custom ones only when the toggle is on (and n8n
 * passes on only what the form would show). Credentials saved before the toggle existed hold their
 * endpoint under the saved names, which the credential keeps as hidden fields; empty means Vtrix's.
 */
export const CUSTOM_ENDPOINT_FIELDS = {
	toggle: 'customEndpoint',
	baseUrl: 'customBaseUrl',
	requestFormat: 'customRequestFormat',
	createTaskPath: 'customCreateTaskPath',
	taskStatusPath: 'customTaskStatusPath',
} as const;
export const SAVED_ENDPOINT_FIELDS = ['baseUrl', 'requestFormat', 'createTaskPath', 'taskStatusPath'] as const;

export const VTRIX_API_KEYS_URL = 'https://vtrix.ai/settings?tab=api-keys';

/** A task id no real task has: the credential test reads its status, which bills nothing. */
export const CREDENTIAL_TEST_TASK_ID = 'n8n-credential-test-00000000';

/** The S3 staging credential's defaults: the folder staged images go to, and the region to sign for. */
export const DEFAULT_STAGING_KEY_PREFIX = 'spark-portrait/';
export const DEFAULT_STAGING_REGION = 'us-east-1';

/** The statuses that redirect: the transport and the credential's test both refuse to carry the key along one. */
export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];
