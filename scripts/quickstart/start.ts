/**
 * `npm start`: the API simulator (or Vtrix's API, with SPARK_API_KEY set) and
 * n8n 2.x on http://127.0.0.1:5678 with this package, a Vtrix API credential and the example
 * workflows in place. SIGINT (Ctrl-C), SIGTERM or SIGHUP stops everything (see shutdown.ts).
 * n8n's data stays in .cache/quickstart between starts (N8N_USER_FOLDER picks another folder).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createN8nInstance, n8nRuntime } from '../../test/e2e/support/n8n';
import { startN8nServer } from '../../test/e2e/support/server';
import { packPackage } from '../../test/e2e/support/pack';
import { exampleWorkflows } from './examples';
import { withProgress } from './progress';
import { stopOnSignals, stopRequested } from './shutdown';
import { localSparkTarget, withBaseUrl, type SparkTarget } from './sparkTarget';

const ROOT = path.join(__dirname, '..', '..');
const USER_FOLDER = path.resolve(process.env.N8N_USER_FOLDER ?? path.join(ROOT, '.cache', 'quickstart'));
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
/** The examples name this port; 0 takes any free one. */
const SIMULATOR_PORT = Number(process.env.SIMULATOR_PORT ?? 8787);

async function main(): Promise<void> {
	// From the first moment: a signal during the set-up must not leave n8n commands behind either.
	let target: SparkTarget | undefined;
	stopOnSignals({ cleanup: async () => await target?.close(), exitCode: () => 0 });
	const runtime = n8nRuntime('n8n2');
	target = await localSparkTarget(SIMULATOR_PORT);
	const packDir = mkdtempSync(path.join(tmpdir(), 'spark-start-'));
	const workflows = exampleWorkflows();
	const { credential, baseUrl } = target;
	let imported = 0;
	await withProgress(
		{
			label: `Preparing n8n ${runtime.version} in ${path.relative(ROOT, USER_FOLDER)} (the node, the credential, the example workflows)`,
			usual: '30 s the first time, 15 s after',
			far: () => `${imported} of 2 steps (the credential, then the ${workflows.length} workflows in one n8n command)`,
		},
		async () => {
			const setup = await createN8nInstance({ runtime, packageTarball: packPackage(packDir), userFolder: USER_FOLDER });
			try {
				await setup.importCredentials([credential]);
				imported++;
				// One n8n command for all of them: each command starts n8n anew.
				await setup.importWorkflows(workflows.map((workflow) => withBaseUrl(workflow, baseUrl)));
				imported++;
			} finally {
				await setup.dispose();
				rmSync(packDir, { recursive: true, force: true });
			}
		},
	);

	const server = await withProgress({ label: 'Starting n8n', usual: 'a minute the first time, 20 s after' }, () =>
		startN8nServer({ runtime, userFolder: USER_FOLDER, port: N8N_PORT }),
	);
	const api = target.kind === 'simulator' ? `the simulator at ${target.baseUrl} (key ${target.apiKey})` : `Vtrix's API at ${target.baseUrl}`;
	console.log(
		[
			'',
			`n8n is running with the Spark Portrait node: ${server.url}`,
			`  sign in as ${server.ownerEmail} / ${server.ownerPassword}`,
			`  open ${server.url}/workflow/${workflows.find((w) => w.id === 'sparkExampleEdit')?.id ?? workflows[0].id} and press "Execute workflow"`,
			`  other examples: ${workflows.map((w) => `"${w.name}"`).join(', ')}`,
			`  the "Vtrix API" credential points at ${api}`,
			'Ctrl-C stops n8n and the simulator.',
		].join('\n'),
	);
}

main().catch((error: unknown) => {
	// Stopping mid-start kills n8n under the set-up; shutdown.ts exits once everything is down.
	if (stopRequested()) return;
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
