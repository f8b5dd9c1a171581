import sharp from 'sharp';

import { hashString } from './random';
import type { TaskParams } from './types';

interface Rgb {
	r: number;
	g: number;
	b: number;
}

/**
 * Stands in for the model: a real, deterministic edit whose look depends on the parameters,
 * so tests can tell a result from a plain resize and from a result with other parameters.
 */
export async function editImage(input: Buffer, params: TaskParams): Promise<Buffer> {
	const { width, height } = params;
	const border = Math.max(4, Math.round(Math.min(width, height) * 0.01));
	const tint = tintFor(params);
	let pipeline = sharp(input)
		.rotate()
		.resize(width - 2 * border, height - 2 * border, { fit: 'cover' })
		.modulate({ brightness: 0.85 + params.gpen * 0.3, saturation: 0.7 + params.skin * 0.6 });
	if (params.skin_unifi > 0) pipeline = pipeline.blur(0.3 + params.skin_unifi * 1.5);
	return pipeline
		.extend({ top: border, bottom: border, left: border, right: border, background: tint })
		.composite([{ input: { create: { width, height, channels: 4, background: { ...tint, alpha: 0.18 } } } }])
		.jpeg({ quality: 85 })
		.toBuffer();
}

/**
 * The cheap stand-in for tests that do not look at pixels: a picture of the requested size in the
 * parameters' tint, so it still differs with them, without decoding or filtering the input.
 */
export async function plainImage(params: TaskParams): Promise<Buffer> {
	const { width, height } = params;
	return sharp({ create: { width, height, channels: 3, background: tintFor(params) } })
		.jpeg({ quality: 85 })
		.toBuffer();
}

/** The hue comes from prompt, seed and mode, as a generated picture would differ with them. */
function tintFor(params: TaskParams): Rgb {
	const hue = hashString(`${params.prompt}|${params.seed}|${params.gen_mode}`) % 360;
	return hslToRgb(hue, 0.7, 0.5);
}

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
	const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
	const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
	const m = lightness - chroma / 2;
	const sector = Math.floor(hue / 60);
	const [r, g, b] = [
		[chroma, x, 0],
		[x, chroma, 0],
		[0, chroma, x],
		[0, x, chroma],
		[x, 0, chroma],
		[chroma, 0, x],
	][sector];
	const to255 = (value: number) => Math.round((value + m) * 255);
	return { r: to255(r), g: to255(g), b: to255(b) };
}
