/**
 * The published tarball: only dist/, README, LICENSE and package.json, and every file the n8n
 * section of package.json names is in it. Runs `npm pack --dry-run` on the built package.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface PackedFile {
	path: string;
}

const root = path.join(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json')) as {
	main: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	license: string;
	keywords: string[];
	n8n: { n8nNodesApiVersion: number; strict: boolean; credentials: string[]; nodes: string[] };
};

function packedFiles(): string[] {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	const [report] = JSON.parse(output) as Array<{ files: PackedFile[] }>;
	return report.files.map((file) => file.path).sort();
}

describe('the npm package', () => {
	const files = packedFiles();

	it('holds only dist/, README.md, LICENSE and package.json', () => {
		const outside = files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file));
		expect(outside).toStrictEqual([]);
		expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});

	it('holds every path of the n8n section, the entry point, icons and codex file', () => {
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes, pkg.main]) expect(files).toContain(file);
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/nodes/SparkPortrait/SparkPortrait.node.json',
				'dist/nodes/SparkPortrait/sparkPortrait.svg',
				'dist/nodes/SparkPortrait/sparkPortrait.dark.svg',
				'dist/credentials/sparkPortrait.svg',
				'dist/credentials/sparkPortrait.dark.svg',
			]),
		);
	});

	it('ships no tests, simulator, sources or maps', () => {
		expect(files.filter((file) => /(^|\/)test\/|\.ts$|\.map$|simulator/.test(file))).toStrictEqual([]);
	});

	it('follows n8n\'s community package rules', () => {
		expect(pkg.dependencies ?? {}).toStrictEqual({});
		expect(pkg.peerDependencies).toStrictEqual({ 'n8n-workflow': '*' });
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});
});
