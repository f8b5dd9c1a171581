/**
 * No file the repository tracks holds a merge conflict left unresolved. A conflict in a TypeScript
 * file breaks the build, but one in a document or a workflow example is read by nobody's compiler:
 * CHANGELOG.md held both sides of a merge from c006813 until it was found by reading.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../support/markdown';

/** The lines git writes around and between the two sides of a conflict. */
const MARKER = /^(<{7}|>{7}) |^={7}$/m;

function trackedTextFiles(): string[] {
	const names = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
	return names.filter((name) => !/\.(png|jpe?g|gif|webp|ico|tgz|gz)$/i.test(name));
}

it('no tracked file holds a merge conflict marker', () => {
	const files = trackedTextFiles();
	expect(files.length).toBeGreaterThan(100);
	const conflicted = files.filter((name) => {
		const text = readFileSync(path.join(REPO_ROOT, name), 'utf8');
		return !text.includes('\0') && MARKER.test(text);
	});
	expect(conflicted).toEqual([]);
});
