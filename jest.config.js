// One project per test layer. `npm run test:fast` runs unit + integration (no n8n install, no browser);
// `npm test` runs every project.
const base = {
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testEnvironment: 'node',
	// n8n installs for the end-to-end tests live here; their package.json files are not ours.
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/scripts/n8n/'],
};

module.exports = {
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// One long-lived n8n per major for every e2e file (test/e2e/support/shared-n8n.ts).
			globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
		},
		{ ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
		{ ...base, displayName: 'release', testMatch: ['<rootDir>/test/release/**/*.test.ts'] },
		{ ...base, displayName: 'load', testMatch: ['<rootDir>/test/load/**/*.test.ts'] },
	],
};
