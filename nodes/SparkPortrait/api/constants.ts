/** The API's parameter space, written once: the UI fields, the validation and the request body all read it, so they cannot differ. */

export const MODEL_ID = 'spark_edit_portrait';

export const DEFAULT_PROMPT = 'Concert group photo, flash photography';
/** The node's limit (the API document names none): a prompt is a scene in words, not a document. */
export const PROMPT_MAX_CHARS = 2000;

export const SIZE_MIN = 512;
export const SIZE_MAX = 2048;
export const SIZE_DEFAULT = 1328;

/** gpen, skin and skin_unifi all take one of these eleven values. */
export const STRENGTH_OPTIONS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

export const GPEN_DEFAULT = 0.4;
export const SKIN_DEFAULT = 0.3;
export const SKIN_UNIFI_DEFAULT = 0;

/** `auto` is ours: it sends no gen_mode so the API switches by itself (prompt given: creative, else reference). */
export const GEN_MODES = ['creative', 'reference', 'reference_char'] as const;
export const GEN_MODE_AUTO = 'auto';

export const SEED_RANDOM = -1;

/** Input image limits from the API document. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_MAX_SIDE = 4096;

/** Result images of one task that the node reads; a portrait task returns one. */
export const MAX_TASK_IMAGES = 8;
