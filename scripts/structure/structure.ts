/**
 * The node's structure as the code's own imports draw it: each folder of nodes/SparkPortrait (and
 * the node file, and credentials/) is a box, each import between two of them an arrow. Writes
 * docs/structure.md (a Mermaid picture and a table); `--check` instead fails when that file is not
 * current or when an import runs up the order below (a folder may import only folders under it).
 *
 *   npm run structure            # rewrite docs/structure.md
 *   npm run structure -- --check # what the unit test and CI run
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const NODE_DIR = 'nodes/SparkPortrait';
export const STRUCTURE_FILE = path.join(ROOT, 'docs/structure.md');

/** Top to bottom: a part may import the parts below it, never one above. */
export const PARTS: ReadonlyArray<{ name: string; path: string; job: string }> = [
	{ name: 'node', path: `${NODE_DIR}/SparkPortrait.node.ts`, job: 'the node: spreads the operations\' fields, calls the router' },
	{ name: 'credentials', path: 'credentials', job: 'the Vtrix API key, and the S3 staging bucket (whose `authenticate` signs bucket requests)' },
	{ name: 'actions', path: `${NODE_DIR}/actions`, job: 'the router (item loop, parallelism, Continue On Fail, pairedItem) and one file per operation' },
	{ name: 'run', path: `${NODE_DIR}/run`, job: 'an item\'s life: its deadline, the run ledger, resume for Retry On Fail, create / stage / release, the output item' },
	{ name: 'staging', path: `${NODE_DIR}/staging`, job: 'binary input through the user\'s S3 bucket: SigV4, the bucket\'s requests and client, the item\'s image' },
	{ name: 'polling', path: `${NODE_DIR}/polling`, job: 'waiting for a task: the poller, the schedule, progress, learned task times, pacing' },
	{ name: 'images', path: `${NODE_DIR}/images`, job: 'image bytes: format and size sniffing, the input image\'s rules (Check Image First applies them)' },
	{ name: 'transport', path: `${NODE_DIR}/transport`, job: 'HTTP: a small core (time limit, capped body, redaction, retry, rate budget, clock) and one client per kind of request' },
	{ name: 'descriptions', path: `${NODE_DIR}/descriptions`, job: 'the node\'s fields, their bounds, and the one place that reads them into settings' },
	{ name: 'api', path: `${NODE_DIR}/api`, job: 'Vtrix\'s wire format: types, paths, request formats, parsing, status words, field validation' },
	{ name: 'errors', path: `${NODE_DIR}/errors`, job: 'every failure class, the words a user reads, and the table that turns one into the other' },
];

export interface Structure {
	/** "from>to" → number of imports. */
	arrows: Map<string, number>;
	/** Imports that run up the order: "file → file". */
	upward: string[];
}

function sourceFiles(relative: string): string[] {
	const full = path.join(ROOT, relative);
	if (full.endsWith('.ts')) return [relative];
	return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
		const child = path.join(relative, entry.name);
		if (entry.isDirectory()) return sourceFiles(child);
		return entry.name.endsWith('.ts') ? [child] : [];
	});
}

function partOf(file: string): string | undefined {
	return PARTS.find((part) => file === part.path || file.startsWith(`${part.path}/`))?.name;
}

/** Relative imports of a file, resolved to repository paths. */
function importsOf(file: string, text: string): string[] {
	const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
	return specs.map((spec) => {
		const target = path.normalize(path.join(path.dirname(file), spec));
		return target.endsWith('.ts') ? target : `${target}.ts`;
	});
}

export function measure(): Structure {
	const structure: Structure = { arrows: new Map(), upward: [] };
	const order = PARTS.map((part) => part.name);
	for (const part of PARTS) {
		for (const file of sourceFiles(part.path)) {
			const text = readFileSync(path.join(ROOT, file), 'utf8');
			for (const target of importsOf(file, text)) {
				const to = partOf(target) ?? partOf(target.replace(/\.ts$/, '/index.ts').replace(/\/index\.ts$/, ''));
				if (to === undefined || to === part.name) continue;
				const key = `${part.name}>${to}`;
				structure.arrows.set(key, (structure.arrows.get(key) ?? 0) + 1);
				if (order.indexOf(to) < order.indexOf(part.name)) structure.upward.push(`${file} → ${target}`);
			}
		}
	}
	return structure;
}

export function render(structure: Structure): string {
	// No counts in the picture: it changes only when an arrow comes or goes, not with every edit.
	const boxes = PARTS.map((part) => `  ${part.name}["${part.name === 'node' ? 'SparkPortrait.node.ts' : `${part.name}/`}"]`);
	const arrows = [...structure.arrows.keys()].sort().map((key) => `  ${key.replace('>', ' --> ')}`);
	const rows = PARTS.map((part) => `| \`${part.path}${part.path.endsWith('.ts') ? '' : '/'}\` | ${part.job} |`);
	return [
		'# The structure of the node',
		'',
		'Generated by `npm run structure` from the code\'s own imports (do not edit by hand; `npm run test:fast` fails',
		'when this page is not current). Each box is a folder, each arrow says that the first imports from the',
		'second. Folders are listed top to bottom: a folder imports only folders below it, never one above.',
		'',
		'```mermaid',
		'flowchart TD',
		...boxes,
		...arrows,
		'```',
		'',
		'| Folder | Its job |',
		'| --- | --- |',
		...rows,
		'',
	].join('\n');
}

/** What is wrong with the committed picture: nothing when it is current and every arrow runs down. */
export function problems(): string[] {
	const structure = measure();
	const found = structure.upward.map((arrow) => `an import runs up the order: ${arrow}`);
	const current = readFileSync(STRUCTURE_FILE, 'utf8');
	if (current !== render(structure)) found.push('docs/structure.md is not current: run npm run structure');
	return found;
}

if (require.main === module) {
	if (process.argv.includes('--check')) {
		const found = problems();
		for (const problem of found) console.error(problem);
		process.exit(found.length === 0 ? 0 : 1);
	}
	const structure = measure();
	writeFileSync(STRUCTURE_FILE, render(structure));
	console.log(`wrote ${path.relative(ROOT, STRUCTURE_FILE)}: ${structure.arrows.size} arrows, ${structure.upward.length} running up`);
	for (const arrow of structure.upward) console.log(`  up: ${arrow}`);
}
