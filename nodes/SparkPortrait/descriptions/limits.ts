/**
 * Bounds and defaults of the node's options, for the editor fields and the runtime clamping alike.
 * Defaults are plain constants too: n8n's lint reads `default: X.y` as a missing default.
 */
export const WAIT_TIMEOUT_DEFAULT = 600;
/** As an AI Agent's tool the node answers a chat: a person waits for it, so it gives up sooner. */
export const TOOL_WAIT_TIMEOUT_DEFAULT = 120;
export const MAX_PARALLEL_DEFAULT = 5;
export const REQUEST_TIMEOUT_DEFAULT = 60;
export const MAX_RETRIES_DEFAULT = 4;
export const RESUBMITS_DEFAULT = 0;
export const IMAGE_LINK_EXPIRY_DEFAULT = 15;
export const MAX_RESULT_SIZE_DEFAULT = 50;

export const WAIT_TIMEOUT = { defaultSeconds: WAIT_TIMEOUT_DEFAULT, minSeconds: 1, maxSeconds: 7200 };
export const POLL_INTERVAL = { minSeconds: 0.2, maxSeconds: 300 };
export const MAX_PARALLEL = { default: MAX_PARALLEL_DEFAULT, min: 1, max: 50 };
export const REQUEST_TIMEOUT = { defaultSeconds: REQUEST_TIMEOUT_DEFAULT, minSeconds: 1, maxSeconds: 600 };
export const MAX_RETRIES = { default: MAX_RETRIES_DEFAULT, min: 0, max: 10 };
export const RESUBMITS = { default: RESUBMITS_DEFAULT, min: 0, max: 3 };
/** Minutes a staged image's presigned URL works; SigV4 refuses one that lives longer than seven days (10,080 minutes). */
export const IMAGE_LINK_EXPIRY = { defaultMinutes: IMAGE_LINK_EXPIRY_DEFAULT, minMinutes: 1, maxMinutes: 10_080 };

/** Megabytes a result image may have; a larger (or endlessly inflating) download is stopped there. */
export const MAX_RESULT_SIZE = { defaultMb: MAX_RESULT_SIZE_DEFAULT, minMb: 1, maxMb: 500 };
