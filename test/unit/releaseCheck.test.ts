import { OWNER_PLACEHOLDER, releaseProblems, type ReleaseFields } from '../../scripts/release/checkRelease';

const packageJson = require('../../package.json') as ReleaseFields;

function published(owner: string): ReleaseFields {
	const base = `github.com/${owner}/n8n-nodes-spark-portrait`;
	return {
		version: '1.2.3',
		repository: { url: `git+https://${base}.git` },
		bugs: { url: `https://${base}/issues` },
		homepage: `https://${base}#readme`,
		author: { email: `${owner}@users.noreply.github.com` },
	};
}

describe('the release gate', () => {
	it('lets through the tag of the version, from the repository package.json names', () => {
		expect(releaseProblems(published('acme'), 'v1.2.3', 'acme/n8n-nodes-spark-portrait')).toStrictEqual([]);
	});

	it('refuses a tag that is not v<version>', () => {
		for (const tag of ['v1.2.4', '1.2.3', 'v1.2.3-rc.1']) {
			expect(releaseProblems(published('acme'), tag, 'acme/n8n-nodes-spark-portrait')).toStrictEqual([
				`tag ${tag} does not match package.json's version 1.2.3: tag the release v1.2.3, or set the version first`,
			]);
		}
	});

	it('refuses while package.json names the placeholder owner, and says where', () => {
		const pkg = { ...published('acme'), author: { email: `${OWNER_PLACEHOLDER}@users.noreply.github.com` } };
		expect(releaseProblems(pkg, 'v1.2.3', 'acme/n8n-nodes-spark-portrait')).toStrictEqual([
			`package.json still names the placeholder owner ${OWNER_PLACEHOLDER} in author.email: set the real GitHub owner there before publishing (CONTRIBUTING.md, "Publishing")`,
		]);
	});

	it('refuses to publish from a repository other than the one package.json names', () => {
		expect(releaseProblems(published('acme'), 'v1.2.3', 'someone-else/n8n-nodes-spark-portrait')).toStrictEqual([
			'package.json\'s repository.url is "git+https://github.com/acme/n8n-nodes-spark-portrait.git"; npm\'s provenance needs the repository that publishes: git+https://github.com/someone-else/n8n-nodes-spark-portrait.git',
		]);
	});

	it("this repository's package.json names one owner and repository in every field the gate reads", () => {
		const owner = /github\.com\/([^/]+)\//.exec(packageJson.repository?.url ?? '')?.[1] ?? 'no owner in repository.url';
		const { repository, bugs, homepage, author } = packageJson;
		const { version: _version, ...expected } = published(owner);
		expect({ repository: { url: repository?.url }, bugs, homepage, author: { email: author?.email } }).toStrictEqual(expected);
	});
});
