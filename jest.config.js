// Three projects so that `npm run test:unit` stays fast while `npm test` runs everything.
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

module.exports = {
	projects: [
		{ displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], transform: tsJest, testEnvironment: 'node' },
		{
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
			transform: tsJest,
			testEnvironment: 'node',
		},
		{ displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], transform: tsJest, testEnvironment: 'node' },
	],
};
