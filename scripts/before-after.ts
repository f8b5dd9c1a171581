/**
 * Makes docs/images/before-after.jpg for the README: a fixture portrait and what the node returns
 * for it from the simulator, side by side. `npx ts-node --transpile-only scripts/before-after.ts`
 */
import path from 'node:path';

import sharp from 'sharp';

import { SparkPortraitVtrixApi } from '../credentials/SparkPortraitVtrixApi.credentials';
import { getBinaryBuffer, runNode } from '../test/harness';
import { startSimulator } from '../test/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SparkPortrait } = require('../dist/nodes/SparkPortrait/SparkPortrait.node.js') as typeof import('../nodes/SparkPortrait/SparkPortrait.node');

const HEIGHT = 400;

async function label(image: Buffer, text: string): Promise<Buffer> {
	const resized = await sharp(image).resize({ height: HEIGHT }).toBuffer({ resolveWithObject: true });
	const width = resized.info.width;
	const caption = Buffer.from(
		`<svg width="${width}" height="36"><rect width="100%" height="100%" fill="#222"/>` +
			`<text x="12" y="24" font-family="sans-serif" font-size="18" fill="#fff">${text}</text></svg>`,
	);
	return await sharp(resized.data).extend({ bottom: 36, background: '#222' }).composite([{ input: caption, top: HEIGHT, left: 0 }]).png().toBuffer();
}

async function main(): Promise<void> {
	const sim = await startSimulator({ taskDurationMs: 500, imageWork: 'realistic' });
	try {
		const input = `${sim.url}/fixtures/portrait.jpg`;
		const result = await runNode({
			nodeType: new SparkPortrait(),
			credentialTypes: [new SparkPortraitVtrixApi()],
			credentials: { sparkPortraitVtrixApi: { apiKey: sim.apiKey, baseUrl: sim.url } },
			parameters: { operation: 'createAndWait', imageUrl: input, width: 768, height: 1024, prompt: 'Concert group photo, flash photography' },
		});
		if (result.error) throw result.error;
		const before = await label(Buffer.from(await (await fetch(input)).arrayBuffer()), 'Image URL (input)');
		const after = await label(await getBinaryBuffer(result.items[0]), 'Edit Portrait output (simulator)');
		const [a, b] = await Promise.all([sharp(before).metadata(), sharp(after).metadata()]);
		const out = path.join(__dirname, '..', 'docs', 'images', 'before-after.jpg');
		await sharp({ create: { width: (a.width ?? 0) + (b.width ?? 0) + 16, height: HEIGHT + 36, channels: 3, background: '#ffffff' } })
			.composite([{ input: before, left: 0, top: 0 }, { input: after, left: (a.width ?? 0) + 16, top: 0 }])
			.jpeg({ quality: 85 })
			.toFile(out);
		console.log(`wrote ${out}`);
	} finally {
		await sim.close();
	}
}

void main();
