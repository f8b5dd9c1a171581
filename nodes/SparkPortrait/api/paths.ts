/**
 * The request paths this project uses by default. The API document names none, so the credential
 * holds them; this leaf module is what the credential and the endpoint resolver both read.
 */
export const DEFAULT_CREATE_TASK_PATH = '/v1/portrait/tasks';
export const DEFAULT_TASK_STATUS_PATH = '/v1/portrait/tasks/{taskId}';
export const TASK_ID_SLOT = '{taskId}';

/** A task id no real task has: the credential test reads its status, which bills nothing. */
export const CREDENTIAL_TEST_TASK_ID = 'n8n-credential-test-00000000';

/** The S3 staging credential's defaults: the folder staged images go to, and the region to sign for. */
export const DEFAULT_STAGING_KEY_PREFIX = 'spark-portrait/';
export const DEFAULT_STAGING_REGION = 'us-east-1';
