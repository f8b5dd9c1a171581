import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Packs the built package as users get it (`npm pack`) into `destination`; returns the tarball's path. */
export function packPackage(destination: string): string {
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return path.join(destination, (JSON.parse(output) as Array<{ filename: string }>)[0].filename);
}
