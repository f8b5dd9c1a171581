import { createServer } from 'node:net';
import path from 'node:path';

import type { N8nRuntime } from './runtime';

export type BinaryMode = 'default' | 'filesystem';

/** Fixed so credentials imported by one command can be read by the next. */
export const ENCRYPTION_KEY = 'spark-portrait-e2e-encryption-key';

export interface N8nEnvOptions {
	runtime: N8nRuntime;
	userFolder: string;
	/** n8n's task broker listens here; its default 5679 would clash between parallel runs. */
	brokerPort: number;
	binaryMode?: BinaryMode;
	env?: Record<string, string>;
}

// Inherited variables that change how n8n behaves: the test process's own NODE_ENV=test switches n8n
// into its unit-test mode, NODE_OPTIONS may carry ts-node/jest hooks, npm_* come from `npm run`.
const INHERITED_BLOCKLIST = [/^N8N_/, /^DB_/, /^EXECUTIONS_/, /^QUEUE_/, /^npm_/, /^NODE_(ENV|OPTIONS|PATH)$/];

function inheritedEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!INHERITED_BLOCKLIST.some((pattern) => pattern.test(name))) env[name] = value;
	}
	return env;
}

/** Environment for one n8n command: isolated, offline, and printing --rawOutput JSON plainly. */
export function n8nEnv(options: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...inheritedEnv(),
		// Any `node` that n8n starts by name is the one it runs on.
		PATH: `${path.dirname(options.runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		// No calls to n8n's services: telemetry, version checks, templates, banners, licence renewal, AI, MCP servers (below).
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// `execute --rawOutput` prints the run through the logger at info level: plain text on stdout.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
	};
	// 2.x fetches its list of MCP servers from api.n8n.io when it starts (1.x has no such module, and
	// refuses a name it does not know).
	if (options.runtime.key === 'n8n2') env.N8N_DISABLED_MODULES = 'mcp-registry';
	if (options.binaryMode) env.N8N_DEFAULT_BINARY_DATA_MODE = options.binaryMode;
	return { ...env, ...options.env };
}

/** A port free right now on 127.0.0.1 (asked from the OS, so parallel callers get different ones). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
		});
	});
}
