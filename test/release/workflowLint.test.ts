/**
 * `npm run lint` checks the GitHub Actions workflows with actionlint (`lint:workflows`), so a broken
 * workflow fails here rather than on GitHub. Runs that npm script in a scratch copy of the
 * repository's package.json and workflows, once as they are and once with one file broken.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { npmCommand, npmEnv } from '../e2e/support/npm';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join('.github', 'workflows');
// Node.js loads actionlint's WebAssembly build: a second alone, much longer on a busy machine.
const LINT_TIMEOUT_MS = 60_000;

interface LintRun {
	exitCode: number;
	output: string;
}

let scratch: string;
beforeEach(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'workflow-lint-'));
	cpSync(path.join(ROOT, 'package.json'), path.join(scratch, 'package.json'));
	cpSync(path.join(ROOT, WORKFLOWS), path.join(scratch, WORKFLOWS), { recursive: true });
	symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

async function lintWorkflows(): Promise<LintRun> {
	const { command, prefixArgs } = npmCommand();
	return promisify(execFile)(command, [...prefixArgs, 'run', 'lint:workflows'], { cwd: scratch, env: npmEnv() })
		.then(({ stdout, stderr }) => ({ exitCode: 0, output: stdout + stderr }))
		.catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
			exitCode: typeof error.code === 'number' ? error.code : -1,
			output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
		}));
}

function breakWorkflow(file: string, from: string, to: string): void {
	const workflow = path.join(scratch, WORKFLOWS, file);
	const text = readFileSync(workflow, 'utf8');
	expect(text).toContain(from);
	writeFileSync(workflow, text.replace(from, to));
}

describe('npm run lint:workflows', () => {
	it(
		"passes the repository's workflows",
		async () => {
			const run = await lintWorkflows();
			expect(run.output).toContain('Checking 2 workflow file(s)');
			expect(run).toMatchObject({ exitCode: 0 });
		},
		LINT_TIMEOUT_MS,
	);

	it.each([
		['a misspelt job key', 'ci.yml', 'runs-on: ubuntu-latest', 'run-on: ubuntu-latest', '"runs-on" section is missing in job "test"'],
		['a job that needs a job that does not exist', 'release.yml', 'needs: test', 'needs: tests', 'job "publish" needs job "tests" which does not exist'],
		['an expression naming an unknown context property', 'ci.yml', '${{ github.ref }}', '${{ github.refs }}', 'property "refs" is not defined'],
	])(
		'fails on %s',
		async (_case, file, from, to, message) => {
			breakWorkflow(file, from, to);
			const run = await lintWorkflows();
			expect(run.output).toContain(message);
			expect(run.exitCode).toBe(1);
		},
		LINT_TIMEOUT_MS,
	);
});
