import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './runtime';

const BUILT_NODE = path.join(REPO_ROOT, 'dist', 'nodes', 'SparkPortrait', 'SparkPortrait.node.js');

/** Packs the built package into `destination`, as users get it, and returns the tarball's path. */
export function packPackage(destination: string): string {
	if (!existsSync(BUILT_NODE)) throw new Error(`${BUILT_NODE} is missing: run \`npm run build\` first`);
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
	});
	const [packed] = JSON.parse(output) as Array<{ filename: string }>;
	return path.join(destination, packed.filename);
}
