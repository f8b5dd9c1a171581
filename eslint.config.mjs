// The lint n8n applies to community nodes: the rule sets, file globs and rule overrides of
// @n8n/scan-community-package 0.32.0 (the same as `@n8n/node-cli`'s `eslint` export), wired up here
// directly because the node-cli package pulls in its AI SDK and a second n8n-workflow (Node.js 24
// only isolated-vm) and still bundles eslint-plugin-n8n-nodes-base 1.x.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import { defineConfig, globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default defineConfig(
	globalIgnores(['dist/**', 'node_modules/**', 'coverage/**']),
	{
		// n8n's scanner lints with `allowInlineConfig: false`: an eslint-disable comment would pass
		// here and fail there, so none is honoured.
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Off in n8n's own config: not valid for community nodes.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Off in n8n's own config: @n8n/community-nodes/credential-password-field is more accurate.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Off in n8n's own config: inputs and outputs may be NodeConnectionTypes, not the string "main".
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Off in n8n's own config: a third-party API may have a real maximum.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	// package.json and the codex files are parsed as an object literal, which the package.json
	// rules walk; the node and credential rules walk the TypeScript AST.
	{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
	{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
);
