/**
 * Every phrase the documents put in double quotes is one of: a message the package can produce (an
 * error, a notice, a default text), the name of the test that proves a claim, or a quotation from
 * elsewhere listed below with where it comes from. A message reworded in the code, or a test renamed,
 * fails here until the documents say the same. `<host>`, `N` and `…` in a quote stand for the parts
 * the code fills in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

import { projectDocuments, quotesIn, REPO_ROOT } from '../support/markdown';

/** Quoted in the documents, but not the package's words: each with where it comes from. */
const QUOTED_FROM_ELSEWHERE: Record<string, string> = {
	'for all Multimodal models including … Vtrix image/video generation models': "Vtrix's API reference",
	'The service refused the connection - perhaps it is offline': "n8n 1.x's own message",
	'ignore every status': 'a paraphrase of how n8n 1.x reads its option',
	'task not found': "the API's answer to an unknown task id",
	'Node not found': "n8n's credential tester when two tests of one node's credentials overlap",
};

function filesUnder(folder: string, pattern: RegExp): string[] {
	return readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => pattern.test(name))
		.map((name) => path.join(folder, name));
}

function sourceFile(file: string): ts.SourceFile {
	return ts.createSourceFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The text of a string expression: literals, templates and `+` joins; the parts code fills in become NUL. */
function textOf(node: ts.Node): string | undefined {
	if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
	if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('\u0000');
	if (ts.isParenthesizedExpression(node)) return textOf(node.expression);
	if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
		const [left, right] = [textOf(node.left), textOf(node.right)];
		return left === undefined && right === undefined ? undefined : `${left ?? '\u0000'}${right ?? '\u0000'}`;
	}
	return undefined;
}

/** Every string the package's code holds, each as the pieces between the parts it fills in. */
function packagePieces(files: string[]): string[] {
	const pieces: string[] = [];
	for (const file of files) {
		const visit = (node: ts.Node): void => {
			const text = textOf(node);
			if (text !== undefined) {
				pieces.push(...text.split('\u0000').filter((piece) => piece !== ''));
				return;
			}
			ts.forEachChild(node, visit);
		};
		visit(sourceFile(file));
	}
	return pieces;
}

/** The names of the tests and their groups: the first argument of it, test and describe (also `.each(...)`). */
function testNamesIn(files: string[]): string[] {
	const names: string[] = [];
	for (const file of files) {
		const visit = (node: ts.Node): void => {
			if (ts.isCallExpression(node) && node.arguments.length > 0) {
				const callee = ts.isCallExpression(node.expression) ? node.expression.expression : node.expression;
				const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
				if (ts.isIdentifier(root) && ['it', 'test', 'describe'].includes(root.text)) {
					const name = textOf(node.arguments[0]);
					if (name !== undefined) names.push(name);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(sourceFile(file));
	}
	return names;
}

const pieces = packagePieces([...filesUnder('nodes', /\.ts$/), ...filesUnder('credentials', /\.ts$/)]);
const testNames = testNamesIn(filesUnder('test', /\.test\.ts$/));

/**
 * Whether the code can write `fragment`: it is inside one piece, or it is stitched from the end of one
 * piece, whole pieces, and the start of another, where the code joins what it fills in.
 */
function writable(fragment: string): boolean {
	if (pieces.some((piece) => piece.includes(fragment))) return true;
	const reached = new Set<number>();
	for (const piece of pieces) {
		for (let length = 1; length < fragment.length; length++) if (piece.endsWith(fragment.slice(0, length))) reached.add(length);
	}
	const queue = [...reached];
	while (queue.length > 0) {
		const at = queue.shift() as number;
		const rest = fragment.slice(at);
		for (const piece of pieces) {
			if (piece.startsWith(rest)) return true;
			if (piece.length < rest.length && rest.startsWith(piece) && !reached.has(at + piece.length)) {
				reached.add(at + piece.length);
				queue.push(at + piece.length);
			}
		}
	}
	return false;
}

/** `<host>`, `N`, `…` and `...` in a quote stand for what the code fills in. */
function fragmentsOf(quote: string): string[] {
	return quote.split(/<[^>]+>|…|\.\.\.|\bN\b/).filter((fragment) => fragment.trim() !== '');
}

function sourceOf(quote: string): 'package' | 'test name' | 'elsewhere' | undefined {
	if (fragmentsOf(quote).every(writable)) return 'package';
	const pattern = new RegExp(fragmentsOf(quote).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^]*?'));
	if (testNames.some((name) => pattern.test(name))) return 'test name';
	if (quote in QUOTED_FROM_ELSEWHERE) return 'elsewhere';
	return undefined;
}

const quotes = projectDocuments().flatMap(quotesIn);

it('finds the quotes it checks', () => {
	const bySource = new Map<string, number>();
	for (const quote of quotes) bySource.set(String(sourceOf(quote.value)), (bySource.get(String(sourceOf(quote.value))) ?? 0) + 1);
	expect(quotes.length).toBeGreaterThan(25);
	expect(pieces.length).toBeGreaterThan(300);
	expect(testNames.length).toBeGreaterThan(300);
	console.log(`quoted in the docs: ${quotes.length} (${[...bySource].map(([source, count]) => `${source}: ${count}`).join(', ')})`);
});

it('every phrase the documents quote is a message of the package, a test name, or listed with its source', () => {
	const unknown = quotes.filter((quote) => sourceOf(quote.value) === undefined).map((quote) => `${quote.file}:${quote.line} "${quote.value}"`);
	expect(unknown).toEqual([]);
});

it('lists only quotations from elsewhere that the documents quote and the package does not write', () => {
	const quoted = new Set(quotes.map((quote) => quote.value));
	const needless = Object.keys(QUOTED_FROM_ELSEWHERE).filter((quote) => !quoted.has(quote) || sourceOf(quote) !== 'elsewhere');
	expect(needless).toEqual([]);
});

describe('the matcher', () => {
	it.each([
		['Vtrix rejected this API key (401 Unauthorized)', 'package'],
		['The Image URL answered <status>: <host> has no such image', 'package'],
		['The Image URL answered 404: <host> has no such image', undefined],
		['a create redirected anywhere', 'test name'],
		['Check Image First did not fetch a redirect from the Image URL to <host>: a loopback address, reached from a public Image URL', 'package'],
		['rejected this API key (401)', undefined],
		['The Spark API rejected this API key', undefined],
		['a create redirected to nowhere', undefined],
	])('%s: %s', (quote, source) => {
		expect(sourceOf(quote)).toBe(source);
	});
});
