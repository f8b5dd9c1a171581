/**
 * `npm start`: the API simulator (or the real API, with SPARK_API_KEY and SPARK_BASE_URL set) and
 * n8n 2.x on http://127.0.0.1:5678 with this package, a Spark API credential and the example
 * workflows in place. Ctrl-C stops both. n8n's data stays in .cache/quickstart between starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createN8nInstance, n8nRuntime } from '../../test/e2e/support/n8n';
import { startN8nServer } from '../../test/e2e/support/server';
import { packPackage } from '../../test/e2e/support/pack';
import { exampleWorkflows } from './examples';
import { localSparkTarget, withBaseUrl } from './sparkTarget';

const ROOT = path.join(__dirname, '..', '..');
const USER_FOLDER = path.join(ROOT, '.cache', 'quickstart');
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);

async function main(): Promise<void> {
	const runtime = n8nRuntime('n8n2');
	const target = await localSparkTarget();
	const packDir = mkdtempSync(path.join(tmpdir(), 'spark-start-'));
	console.log(`Preparing n8n ${runtime.version} in ${path.relative(ROOT, USER_FOLDER)} ...`);
	const setup = await createN8nInstance({ runtime, packageTarball: packPackage(packDir), userFolder: USER_FOLDER });
	const workflows = exampleWorkflows();
	try {
		await setup.importCredentials([target.credential]);
		for (const workflow of workflows) await setup.importWorkflow(withBaseUrl(workflow, target.baseUrl));
	} finally {
		await setup.dispose();
		rmSync(packDir, { recursive: true, force: true });
	}

	console.log('Starting n8n (the first start takes a minute) ...');
	const server = await startN8nServer({ runtime, userFolder: USER_FOLDER, port: N8N_PORT });
	const api = target.kind === 'simulator' ? `the simulator at ${target.baseUrl} (key ${target.apiKey})` : `the real API at ${target.baseUrl}`;
	console.log(
		[
			'',
			`n8n is running with the Spark Portrait node: ${server.url}`,
			`  sign in as ${server.ownerEmail} / ${server.ownerPassword}`,
			`  open ${server.url}/workflow/${workflows.find((w) => w.id === 'sparkExampleEdit')?.id ?? workflows[0].id} and press "Execute workflow"`,
			`  other examples: ${workflows.map((w) => `"${w.name}"`).join(', ')}`,
			`  the "Spark API" credential points at ${api}`,
			'Ctrl-C stops n8n and the simulator.',
		].join('\n'),
	);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping ...');
		await server.stop();
		await target.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
