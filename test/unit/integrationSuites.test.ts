import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The integration project runs suites (test/integration/suites/), not the files themselves: a file no
// suite names would never run in `npm test` or CI.
const INTEGRATION = path.join(__dirname, '..', 'integration');
const SUITES = path.join(INTEGRATION, 'suites');

function membersOf(suiteFile: string): string[] {
	return [...readFileSync(path.join(SUITES, suiteFile), 'utf8').matchAll(/^\t'([^']+)',$/gm)].map((match) => match[1]);
}

it('every integration test file runs in exactly one suite, and every name a suite gives is a file', () => {
	const files = readdirSync(INTEGRATION).filter((name) => name.endsWith('.test.ts')).map((name) => name.replace(/\.test\.ts$/, ''));
	const named = readdirSync(SUITES).filter((name) => name.endsWith('.suite.ts')).flatMap(membersOf);
	expect([...named].sort()).toEqual([...files].sort());
});
