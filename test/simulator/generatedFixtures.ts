import { createCipheriv } from 'node:crypto';

import sharp from 'sharp';

export interface FixtureFile {
	bytes: Buffer;
	contentType: string;
}

type Builder = () => Promise<FixtureFile>;

/** Inputs that break one rule each of the document's limits; built on first use, they are too big to commit. */
const BUILDERS: Record<string, Builder> = {
	'large.jpg': async () => ({ bytes: await noiseJpeg(1600), contentType: 'image/jpeg' }),
	'huge.png': async () => ({ bytes: await flat(4100, 4100).png().toBuffer(), contentType: 'image/png' }),
	'image.gif': async () => ({ bytes: await flat(320, 400).gif().toBuffer(), contentType: 'image/gif' }),
	'image.webp': async () => ({ bytes: await flat(320, 400).webp().toBuffer(), contentType: 'image/webp' }),
	'not-an-image.txt': async () => ({ bytes: Buffer.from('This is not an image.\n'), contentType: 'text/plain; charset=utf-8' }),
};

// Shared by every simulator in the process, so the slow noise JPEG is made once per test run.
const cache = new Map<string, Promise<FixtureFile>>();

export const GENERATED_NAMES = Object.keys(BUILDERS);

export function generatedFixture(name: string): Promise<FixtureFile> | undefined {
	const build = BUILDERS[name];
	if (!build) return undefined;
	let file = cache.get(name);
	if (!file) {
		file = build();
		cache.set(name, file);
	}
	return file;
}

function flat(width: number, height: number): sharp.Sharp {
	return sharp({ create: { width, height, channels: 3, background: { r: 120, g: 150, b: 190 } } });
}

/**
 * Noise cannot be compressed, so a 1600 x 1600 JPEG at quality 100 lands near 7 MB: over 5 MB, under 4096 px.
 * The noise is an AES-CTR keystream with a fixed key: reproducible, and native speed (a JS loop takes seconds under jest).
 */
async function noiseJpeg(side: number): Promise<Buffer> {
	const keystream = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
	const raw = keystream.update(Buffer.alloc(side * side * 3));
	return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
		.jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
		.toBuffer();
}
