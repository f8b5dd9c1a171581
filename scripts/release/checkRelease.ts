/**
 * The release workflow's gate (.github/workflows/release.yml), run before anything is built:
 *
 *   ts-node --transpile-only scripts/release/checkRelease.ts <tag> <owner/repository>
 *
 * A tag publishes only the version package.json names, and only from the GitHub repository that
 * package.json names: npm's provenance ties the package to the repository that built it, and n8n
 * verifies the package against that repository. Exits 1 with one line per problem.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Stands for the GitHub owner in package.json until the maintainer sets the real one (CONTRIBUTING.md, Publishing). */
export const OWNER_PLACEHOLDER = 'OWNER-PLACEHOLDER';

export interface ReleaseFields {
	version: string;
	repository?: { url?: string };
	bugs?: { url?: string };
	homepage?: string;
	author?: { email?: string };
}

const FIELDS: Array<[name: string, read: (pkg: ReleaseFields) => string | undefined]> = [
	['repository.url', (pkg) => pkg.repository?.url],
	['bugs.url', (pkg) => pkg.bugs?.url],
	['homepage', (pkg) => pkg.homepage],
	['author.email', (pkg) => pkg.author?.email],
];

/** What stops `tag` of `githubRepository` (owner/name) from being published; empty when nothing does. */
export function releaseProblems(pkg: ReleaseFields, tag: string, githubRepository: string): string[] {
	const problems: string[] = [];
	if (tag !== `v${pkg.version}`) {
		problems.push(`tag ${tag} does not match package.json's version ${pkg.version}: tag the release v${pkg.version}, or set the version first`);
	}
	const withPlaceholder = FIELDS.filter(([, read]) => read(pkg)?.includes(OWNER_PLACEHOLDER)).map(([name]) => name);
	if (withPlaceholder.length > 0) {
		problems.push(
			`package.json still names the placeholder owner ${OWNER_PLACEHOLDER} in ${withPlaceholder.join(', ')}: ` +
				'set the real GitHub owner there before publishing (CONTRIBUTING.md, "Publishing")',
		);
		return problems;
	}
	const expectedUrl = `git+https://github.com/${githubRepository}.git`;
	if (pkg.repository?.url?.toLowerCase() !== expectedUrl.toLowerCase()) {
		problems.push(`package.json's repository.url is ${JSON.stringify(pkg.repository?.url)}; npm's provenance needs the repository that publishes: ${expectedUrl}`);
	}
	return problems;
}

function main(): void {
	const [tag, githubRepository] = process.argv.slice(2);
	if (!tag || !githubRepository) {
		console.error('usage: checkRelease.ts <tag> <owner/repository>');
		process.exit(2);
	}
	const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as ReleaseFields;
	const problems = releaseProblems(pkg, tag, githubRepository);
	for (const problem of problems) console.error(`release refused: ${problem}`);
	if (problems.length > 0) process.exit(1);
	console.log(`release check passed: ${tag} of ${githubRepository}`);
}

if (require.main === module) main();
