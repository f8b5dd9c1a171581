/**
 * The create request the API document (/work/shared/spec/spark-edit-portrait-api.txt, "Parameters")
 * implies when every field keeps its default, written out by hand: tests compare the node's and the
 * simulator's defaults with the document, so these values never come from the code under test.
 */
export const DOCUMENTED_DEFAULTS = {
	prompt: 'Concert group photo, flash photography',
	width: 1328,
	height: 1328,
	gpen: 0.4,
	skin: 0.3,
	skin_unifi: 0,
	seed: '-1',
} as const;

/** The create body for an image URL with every other field at its documented default (no gen_mode: Auto). */
export function documentedCreateBody(imageInput: string) {
	return { model: 'spark_edit_portrait', image_input: imageInput, ...DOCUMENTED_DEFAULTS };
}
