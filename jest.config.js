// One project per test layer. `npm run test:fast` runs unit + integration (no n8n install, no browser);
// `npm test` runs every project.
const base = {
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testEnvironment: 'node',
	// n8n installs for the end-to-end tests live here; their package.json files are not ours.
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/scripts/n8n/'],
};

// The integration and browser files run in suites (test/<layer>/suites/, test/support/suite.ts). A run
// that names a layer's files on the command line runs those files as they are, alone.
const namesFilesOf = (layer) => process.argv.some((arg) => new RegExp(`test/${layer}/[^/]+\\.test\\.ts$`).test(arg));
const suitesOf = (layer) => [namesFilesOf(layer) ? `<rootDir>/test/${layer}/*.test.ts` : `<rootDir>/test/${layer}/suites/*.suite.ts`];

module.exports = {
	// Most files wait (on a simulator's task times, on n8n) rather than compute, so more files run at
	// once than the 2-core machine has cores; the end-to-end and browser files each drive an n8n that
	// needs a core of its own while it starts, so a whole run keeps to 3 (test:fast, without them, runs 12).
	maxWorkers: 3,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	testSequencer: '<rootDir>/test/support/sequencer.js',
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'integration', testMatch: suitesOf('integration') },
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// One long-lived n8n per major for every e2e file (test/e2e/support/shared-n8n.ts).
			globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
		},
		{ ...base, displayName: 'browser', testMatch: suitesOf('browser') },
		{ ...base, displayName: 'release', testMatch: ['<rootDir>/test/release/**/*.test.ts'] },
		{ ...base, displayName: 'load', testMatch: ['<rootDir>/test/load/**/*.test.ts'] },
	],
};
