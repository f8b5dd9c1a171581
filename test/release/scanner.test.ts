/**
 * n8n's verification scan, run here before n8n runs it: @n8n/scan-community-package's
 * `analyzePackage` (through scripts/scan/analyze.mjs) on the repository's source and on the
 * unpacked `npm pack` tarball. Any violation fails the test and prints the scanner's report.
 * Needs the build (`npm run test:release` or `npm test` build first).
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { packPackage } from '../e2e/support/pack';
import { REPO_ROOT } from '../e2e/support/runtime';

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

type ScanKind = 'source' | 'tarball';

const ANALYZE = path.join(REPO_ROOT, 'scripts', 'scan', 'analyze.mjs');
const NODE_FILE = path.join('nodes', 'SparkPortrait', 'SparkPortrait.node');
// ESLint with n8n's rule sets over the whole package: seconds alone, much longer on a busy machine.
const SCAN_TIMEOUT_MS = 180_000;

async function scan(folder: string, kind: ScanKind): Promise<ScanResult> {
	// The script exits 1 on a violation; its JSON line is the result either way.
	const stdout = await promisify(execFile)(process.execPath, [ANALYZE, folder, kind], { maxBuffer: 16 * 1024 * 1024 })
		.then((done) => done.stdout)
		.catch((error: { stdout?: string }) => error.stdout ?? '');
	const lastLine = stdout.trim().split('\n').pop() ?? '';
	if (!lastLine.startsWith('{')) throw new Error(`scripts/scan/analyze.mjs printed no result for ${folder}:\n${stdout}`);
	return JSON.parse(lastLine) as ScanResult;
}

/** The package as users get it: packed from the build and unpacked the way the scanner unpacks it. */
function unpackedTarball(workFolder: string): string {
	mkdirSync(workFolder, { recursive: true });
	const tarball = packPackage(workFolder);
	const folder = path.join(workFolder, 'package');
	mkdirSync(folder);
	execFileSync('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1']);
	return folder;
}

/** The scanned part of the repository (its SOURCE_FILE_PATTERNS: package.json, nodes/, credentials/). */
function sourceCopy(workFolder: string): string {
	const folder = path.join(workFolder, 'source');
	for (const entry of ['package.json', 'nodes', 'credentials']) {
		cpSync(path.join(REPO_ROOT, entry), path.join(folder, entry), { recursive: true });
	}
	return folder;
}

let workFolder: string;
beforeAll(() => {
	workFolder = mkdtempSync(path.join(tmpdir(), 'spark-scan-'));
});
afterAll(() => rmSync(workFolder, { recursive: true, force: true }));

describe("n8n's community package scan", () => {
	it(
		'passes on the source',
		async () => {
			expect(await scan(REPO_ROOT, 'source')).toStrictEqual({ passed: true });
		},
		SCAN_TIMEOUT_MS,
	);

	it(
		'passes on the packed tarball',
		async () => {
			expect(await scan(unpackedTarball(path.join(workFolder, 'packed')), 'tarball')).toStrictEqual({ passed: true });
		},
		SCAN_TIMEOUT_MS,
	);
});

describe('the scan refuses a package that breaks the rules', () => {
	it(
		'refuses a node source file that uses the global setTimeout',
		async () => {
			const source = sourceCopy(path.join(workFolder, 'broken-source'));
			appendFileSync(path.join(source, `${NODE_FILE}.ts`), '\nsetTimeout(() => undefined, 0);\n');

			const result = await scan(source, 'source');

			expect(result).toMatchObject({ passed: false, message: 'ESLint violations found' });
			expect(result.details).toContain(`${NODE_FILE}.ts`);
			expect(result.details).toContain('no-restricted-globals');
		},
		SCAN_TIMEOUT_MS,
	);

	it(
		'refuses a tarball whose compiled node logs to the console',
		async () => {
			const unpacked = unpackedTarball(path.join(workFolder, 'broken-packed'));
			appendFileSync(path.join(unpacked, 'dist', `${NODE_FILE}.js`), '\nconsole.log("debug");\n');

			const result = await scan(unpacked, 'tarball');

			expect(result).toMatchObject({ passed: false, message: 'ESLint violations found' });
			expect(result.details).toContain(`${NODE_FILE}.js`);
			expect(result.details).toContain('no-console');
		},
		SCAN_TIMEOUT_MS,
	);
});
