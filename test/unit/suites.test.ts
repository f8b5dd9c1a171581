import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The integration and browser layers run suites (test/<layer>/suites/), not their files: a file no
// suite names would never run in `npm test` or CI.
const TEST = path.join(__dirname, '..');

function membersOf(suiteFile: string): string[] {
	return [...readFileSync(suiteFile, 'utf8').matchAll(/^\t'([^']+)',$/gm)].map((match) => match[1]);
}

it.each(['integration', 'browser'])('every %s test file runs in exactly one suite, and every name a suite gives is a file', (layer) => {
	const folder = path.join(TEST, layer);
	const suites = path.join(folder, 'suites');
	const files = readdirSync(folder).filter((name) => name.endsWith('.test.ts')).map((name) => name.replace(/\.test\.ts$/, ''));
	const named = readdirSync(suites).filter((name) => name.endsWith('.suite.ts')).flatMap((name) => membersOf(path.join(suites, name)));
	expect(files.length).toBeGreaterThan(0);
	expect([...named].sort()).toEqual([...files].sort());
});
