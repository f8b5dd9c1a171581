/**
 * Every link a reader or n8n's editor can follow into this repository leads somewhere: the relative
 * links and #anchors of the README, CONTRIBUTING, CHANGELOG and docs/, and the documentation links of
 * the node and its credentials (which point at the repository's pages, so they work before and after
 * the first release). Links to other sites are not followed: tests never reach the internet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';
import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { deadLinkReason, linksIn, projectDocuments, REPO_ROOT } from '../support/markdown';

const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
/** `git+https://github.com/<owner>/<name>.git` as a web address. */
const REPOSITORY = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

function sourceFiles(folder: string): string[] {
	return readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => /\.(ts|json)$/.test(name))
		.map((name) => path.join(folder, name));
}

/** Every documentation link the editor shows: the credentials' documentationUrl, the codex's resources, and any repository link in their source. */
function packageLinks(): Array<{ where: string; url: string }> {
	const links = [new SparkPortraitVtrixApi(), new SparkPortraitS3StagingApi()].map((credential) => ({
		where: `${credential.name}.documentationUrl`,
		url: credential.documentationUrl,
	}));
	const codex = JSON.parse(readFileSync(path.join(REPO_ROOT, 'nodes', 'SparkPortrait', 'SparkPortrait.node.json'), 'utf8')) as {
		resources: Record<string, Array<{ url: string }>>;
	};
	for (const [kind, entries] of Object.entries(codex.resources)) {
		for (const { url } of entries) links.push({ where: `SparkPortrait.node.json resources.${kind}`, url });
	}
	for (const file of [...sourceFiles('nodes'), ...sourceFiles('credentials')]) {
		for (const match of readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/https:\/\/github\.com\/[^\s'"`)]+/g)) {
			links.push({ where: file, url: match[0] });
		}
	}
	return links;
}

const documentLinks = projectDocuments().flatMap(linksIn);
const editorLinks = packageLinks();

it('finds the links it checks (a parser that reads nothing would pass everything)', () => {
	const followed = documentLinks.filter((link) => !/^[a-z]+:/i.test(link.value) || link.value.startsWith(REPOSITORY));
	expect(followed.length).toBeGreaterThan(60);
	expect(followed.filter((link) => link.value.includes('#')).length).toBeGreaterThan(15);
	expect(editorLinks.length).toBeGreaterThanOrEqual(4);
	console.log(
		`docs links: ${followed.length} followed (${followed.filter((link) => link.value.includes('#')).length} with an anchor) of ` +
			`${documentLinks.length} links in ${projectDocuments().length} documents; ${editorLinks.length} documentation links in the package`,
	);
});

it('every relative link and #anchor in the README, CONTRIBUTING, CHANGELOG and docs/ leads somewhere', () => {
	const dead = documentLinks
		.map((link) => ({ ...link, reason: deadLinkReason(link.file, link.value, REPOSITORY) }))
		.filter((link) => link.reason !== undefined)
		.map((link) => `${link.file}:${link.line} ${link.value}: ${link.reason}`);
	expect(dead).toEqual([]);
});

it("every documentation link of the node and its credentials is a page of this repository that exists", () => {
	const wrong = editorLinks
		.map(({ where, url }) => {
			if (!url.startsWith(`${REPOSITORY}`)) return `${where}: ${url} is not a page of ${REPOSITORY} (package.json's repository)`;
			const reason = deadLinkReason('README.md', url, REPOSITORY);
			return reason ? `${where}: ${url}: ${reason}` : undefined;
		})
		.filter((problem) => problem !== undefined);
	expect(wrong).toEqual([]);
});

describe('the checker itself', () => {
	it.each([
		['docs/missing.md', 'docs/missing.md does not exist'],
		['#no-such-heading', 'README.md has no heading with the anchor #no-such-heading'],
		['docs/security.md#the-credential-tests', 'docs/security.md has no heading with the anchor #the-credential-tests'],
		[`${REPOSITORY}#no-such-heading`, 'README.md has no heading with the anchor #no-such-heading'],
		[`${REPOSITORY}/blob/main/docs/gone.md`, 'docs/gone.md does not exist'],
		['LICENSE#x', 'an anchor (#x) on LICENSE, which is not a Markdown page'],
	])('reports %s', (target, reason) => {
		expect(deadLinkReason('README.md', target, REPOSITORY)).toBe(reason);
	});

	it.each([
		['docs/security.md#the-credential-test'],
		['#credentials'],
		['../README.md#install'],
		[`${REPOSITORY}#credentials`],
		[`${REPOSITORY}/blob/main/docs/binary-input-s3.md`],
		['https://docs.n8n.io/no/such/page'],
	])('follows %s', (target) => {
		const from = target.startsWith('../') ? 'docs/install.md' : 'README.md';
		expect(deadLinkReason(from, target, REPOSITORY)).toBeUndefined();
	});
});
