/**
 * `npm run check:live` against the simulator: the same code that a maintainer runs against Vtrix,
 * another base URL. It refuses without a key, asks before the one paid task, creates exactly one,
 * reports every assumption of docs/vtrix-api.md, never prints the key, and reports an assumption
 * that does not hold.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runLiveCheck, type LiveCheckOptions } from '../../scripts/live/checkLive';
import { fixtureUrl, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator({ taskDurationMs: 1500 });
let outDir: string;

beforeEach(() => {
	outDir = mkdtempSync(path.join(tmpdir(), 'check-live-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

async function check(options: Partial<LiveCheckOptions> = {}) {
	const printed: Array<{ at: number; line: string }> = [];
	const result = await runLiveCheck({
		apiKey: simulator().apiKey,
		baseUrl: simulator().url,
		imageUrl: fixtureUrl(simulator()),
		outDir,
		print: (line) => printed.push({ at: Date.now(), line }),
		confirm: async () => false,
		...options,
	});
	return { ...result, printed, text: printed.map((entry) => entry.line).join('\n') };
}

it('refuses without a key and sends nothing', async () => {
	const run = await check({ apiKey: undefined, yes: true });
	expect(run.exitCode).toBe(2);
	expect(run.text).toContain('needs a Vtrix API key in SPARK_API_KEY');
	expect(simulator().requests).toHaveLength(0);
});

it('says it will create one paid task, and sends nothing unless told yes', async () => {
	const run = await check();
	expect(run.exitCode).toBe(1);
	expect(run.printed[0].line).toContain('will create ONE paid task');
	expect(simulator().requests).toHaveLength(0);
});

it('creates one task, follows it to the end with the node, and reports every assumption held', async () => {
	const run = await check({ yes: true });
	expect(run.exitCode).toBe(0);
	const creates = simulator().requestsTo('create');
	expect(creates).toHaveLength(1);
	// The warning came before anything was spent.
	expect(run.printed.find((entry) => entry.line.includes('ONE paid task'))!.at).toBeLessThan(creates[0].at);
	expect(creates[0].fields).toMatchObject({ width: 512, height: 512 });
	expect(creates[0].body).toHaveProperty('input');
	expect(run.report).toContain('| A task that does not exist answers 404');
	expect(run.report).not.toContain('did not hold');
	expect(run.report).toContain('Cost: 0.0300 (as the API reported it)');
	expect(run.report).toMatch(/### 2\. POST \/model\/v1\/generation → 200/);
	expect(simulator().requestsTo('download').length).toBeGreaterThanOrEqual(1);
	// Sent and answered text is in the report; the key is not, neither printed nor in the file.
	expect(run.text).not.toContain(simulator().apiKey);
	expect(readFileSync(path.join(outDir, 'live-check-report.md'), 'utf8')).not.toContain(simulator().apiKey);
});

it('reports an assumption that does not hold: an API that refuses the default body', async () => {
	simulator().configure({ acceptFormats: 'flat' });
	const run = await check({ yes: true });
	expect(run.exitCode).toBe(1);
	expect(run.report).toMatch(/\| POST \/model\/v1\/generation with the Vtrix Client body .* \| \*\*did not hold\*\* \| 400 \|/);
});
