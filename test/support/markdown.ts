/**
 * What the document tests read in the project's Markdown: links, the anchors GitHub gives headings,
 * and phrases in double quotes. Code blocks and code spans are left out (they hold commands and
 * identifiers, not links or quotes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The documents whose links and quotes must hold: the README, CONTRIBUTING, CHANGELOG and docs/. */
export function projectDocuments(): string[] {
	const docs = readdirSync(path.join(REPO_ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => path.join('docs', name));
	return ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docs];
}

export interface Located<T> {
	file: string;
	line: number;
	value: T;
}

/** The document's lines outside fenced code blocks, with their line numbers, code spans blanked. */
function proseLines(text: string): Array<{ line: number; text: string }> {
	const lines: Array<{ line: number; text: string }> = [];
	let fenced = false;
	text.split('\n').forEach((line, index) => {
		if (/^\s*```/.test(line)) {
			fenced = !fenced;
			return;
		}
		if (!fenced) lines.push({ line: index + 1, text: line.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length)) });
	});
	return lines;
}

export function readDocument(file: string): string {
	return readFileSync(path.join(REPO_ROOT, file), 'utf8');
}

/** Inline links and images: `[text](target)`, `![alt](target "title")`, and `<https://…>`. */
export function linksIn(file: string): Array<Located<string>> {
	const found: Array<Located<string>> = [];
	for (const { line, text } of proseLines(readDocument(file))) {
		for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ file, line, value: match[1] });
		for (const match of text.matchAll(/<(https?:\/\/[^>\s]+)>/g)) found.push({ file, line, value: match[1] });
	}
	return found;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(file: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const { text } of proseLines(readDocument(file))) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
		if (heading) {
			const words = heading[1]
				.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
				.toLowerCase()
				.replace(/[^\p{L}\p{N}\s_-]/gu, '')
				.replace(/ /g, '-');
			const count = seen.get(words) ?? 0;
			seen.set(words, count + 1);
			anchors.add(count === 0 ? words : `${words}-${count}`);
		}
		for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
	}
	return anchors;
}

/** Phrases in double quotes ("…" as typed, not curly), outside code, at least three characters long. */
export function quotesIn(file: string): Array<Located<string>> {
	const found: Array<Located<string>> = [];
	for (const { line, text } of proseLines(readDocument(file))) {
		// Image alt texts and link titles are descriptions, not quotations.
		const prose = text.replace(/!\[[^\]]*\]\([^)]*\)/g, '');
		for (const match of prose.matchAll(/"([^"]{3,})"/g)) found.push({ file, line, value: match[1] });
	}
	return found;
}

/** Where a link points inside the repository, or why it is dead; undefined when it is alive. */
export function deadLinkReason(fromFile: string, target: string, repositoryUrl: string): string | undefined {
	let relative: string;
	if (/^https?:\/\//i.test(target)) {
		const inRepository = target.startsWith(repositoryUrl) ? target.slice(repositoryUrl.length) : undefined;
		if (inRepository === undefined) return undefined; // Another site: not followed (tests never reach the internet).
		// The repository's page (its README), or a file on its default branch.
		const blob = /^(?:\/(?:blob|tree)\/main\/([^#]*))?\/?(#.*)?$/.exec(inRepository);
		if (!blob) return `not a page of ${repositoryUrl} the test knows how to follow`;
		relative = `${blob[1] ? `/${blob[1]}` : '/README.md'}${blob[2] ?? ''}`;
	} else if (/^[a-z]+:/i.test(target)) {
		return undefined; // mailto: and the like.
	} else {
		relative = target;
	}
	const [pathPart, anchor] = relative.split('#', 2);
	const file = pathPart === ''
		? fromFile
		: pathPart.startsWith('/')
			? pathPart.slice(1)
			: path.normalize(path.join(path.dirname(fromFile), decodeURIComponent(pathPart)));
	if (file.startsWith('..')) return 'points outside the repository';
	if (!existsSync(path.join(REPO_ROOT, file))) return `${file} does not exist`;
	if (anchor !== undefined) {
		if (!file.endsWith('.md')) return `an anchor (#${anchor}) on ${file}, which is not a Markdown page`;
		if (!anchorsOf(file).has(anchor)) return `${file} has no heading with the anchor #${anchor}`;
	}
	return undefined;
}
