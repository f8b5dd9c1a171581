// Draws the committed test portraits: `npx ts-node --transpile-only test/simulator/make-fixtures.ts`.
// Drawn here rather than downloaded, so the project owns them and they stay tiny.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import sharp from 'sharp';

import { FIXTURES_DIR } from './fixtures';

/** One frontal face filling much of the frame, as the API document asks of inputs. */
function portraitSvg(width: number, height: number): string {
	const cx = width / 2;
	const face = { cy: height * 0.42, rx: width * 0.24, ry: height * 0.22 };
	const eyeY = face.cy - face.ry * 0.15;
	const eyeDx = face.rx * 0.42;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
	<defs>
		<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
			<stop offset="0" stop-color="#9cc3e6"/><stop offset="1" stop-color="#e8d8c0"/>
		</linearGradient>
	</defs>
	<rect width="100%" height="100%" fill="url(#bg)"/>
	<rect x="${cx - face.rx * 0.35}" y="${face.cy + face.ry * 0.8}" width="${face.rx * 0.7}" height="${height * 0.25}" fill="#e0ac8a"/>
	<path d="M ${cx - width * 0.42} ${height} Q ${cx} ${height * 0.62} ${cx + width * 0.42} ${height} Z" fill="#3b5b8c"/>
	<ellipse cx="${cx}" cy="${face.cy - face.ry * 0.25}" rx="${face.rx * 1.15}" ry="${face.ry * 0.95}" fill="#4a2f1e"/>
	<ellipse cx="${cx}" cy="${face.cy}" rx="${face.rx}" ry="${face.ry}" fill="#f1c4a0"/>
	<path d="M ${cx - face.rx} ${face.cy - face.ry * 0.35} Q ${cx} ${face.cy - face.ry * 1.35} ${cx + face.rx} ${face.cy - face.ry * 0.35} Q ${cx} ${face.cy - face.ry * 0.75} ${cx - face.rx} ${face.cy - face.ry * 0.35} Z" fill="#4a2f1e"/>
	<ellipse cx="${cx - eyeDx}" cy="${eyeY}" rx="${face.rx * 0.16}" ry="${face.ry * 0.07}" fill="#ffffff"/>
	<ellipse cx="${cx + eyeDx}" cy="${eyeY}" rx="${face.rx * 0.16}" ry="${face.ry * 0.07}" fill="#ffffff"/>
	<circle cx="${cx - eyeDx}" cy="${eyeY}" r="${face.rx * 0.06}" fill="#3a2a1a"/>
	<circle cx="${cx + eyeDx}" cy="${eyeY}" r="${face.rx * 0.06}" fill="#3a2a1a"/>
	<path d="M ${cx - eyeDx * 1.3} ${eyeY - face.ry * 0.16} q ${eyeDx * 0.3} ${-face.ry * 0.06} ${eyeDx * 0.6} 0" stroke="#4a2f1e" stroke-width="${width * 0.012}" fill="none"/>
	<path d="M ${cx + eyeDx * 0.7} ${eyeY - face.ry * 0.16} q ${eyeDx * 0.3} ${-face.ry * 0.06} ${eyeDx * 0.6} 0" stroke="#4a2f1e" stroke-width="${width * 0.012}" fill="none"/>
	<path d="M ${cx} ${eyeY + face.ry * 0.1} l ${-face.rx * 0.08} ${face.ry * 0.3} l ${face.rx * 0.12} 0" stroke="#c48b6a" stroke-width="${width * 0.008}" fill="none"/>
	<path d="M ${cx - face.rx * 0.35} ${face.cy + face.ry * 0.45} Q ${cx} ${face.cy + face.ry * 0.7} ${cx + face.rx * 0.35} ${face.cy + face.ry * 0.45}" stroke="#b0464a" stroke-width="${width * 0.014}" fill="none" stroke-linecap="round"/>
</svg>`;
}

async function main(): Promise<void> {
	await mkdir(FIXTURES_DIR, { recursive: true });
	const jpg = await sharp(Buffer.from(portraitSvg(600, 800))).jpeg({ quality: 82 }).toBuffer();
	const png = await sharp(Buffer.from(portraitSvg(400, 500))).png({ palette: true, compressionLevel: 9 }).toBuffer();
	await writeFile(path.join(FIXTURES_DIR, 'portrait.jpg'), jpg);
	await writeFile(path.join(FIXTURES_DIR, 'portrait.png'), png);
	console.log(`portrait.jpg ${jpg.length} bytes, portrait.png ${png.length} bytes`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
