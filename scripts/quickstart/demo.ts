/**
 * `npm run demo -- --image <url-or-path> [--prompt "..."] [--width N] [--height N]`: runs the example
 * Edit Portrait workflow headless in real n8n and writes the edited image to ./out/. SIGINT, SIGTERM
 * or SIGHUP stops it and every n8n command it started (see shutdown.ts).
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createN8nInstance, executionError, n8nRuntime, nodeOutput } from '../../test/e2e/support/n8n';
import { packPackage } from '../../test/e2e/support/pack';
import { withProgress } from './progress';
import { exitCodeOfSignal, stopOnSignals, stopRequested } from './shutdown';
import { sparkTarget, withBaseUrl, type SparkTarget } from './sparkTarget';

const ROOT = path.join(__dirname, '..', '..');
const NODE_NAME = 'Edit Portrait';

interface ExampleWorkflow {
	id: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
}

/** A local file is served on loopback, which only the simulator can reach. */
async function imageUrl(image: string, target: SparkTarget): Promise<{ url: string; server?: Server }> {
	if (/^https?:\/\//i.test(image)) return { url: image };
	const file = path.resolve(image);
	if (!existsSync(file)) throw new Error(`--image: no such file or URL: ${image}`);
	if (target.kind === 'real') throw new Error('--image: the real API cannot fetch a local file; pass a public http(s) URL');
	const server = createServer((_request, response) => {
		response.writeHead(200, { 'content-type': /\.png$/i.test(file) ? 'image/png' : 'image/jpeg' });
		createReadStream(file).pipe(response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { url: `http://127.0.0.1:${port}/${encodeURIComponent(path.basename(file))}`, server };
}

/** What the task is doing, as far as the simulator can tell (the real API is not watched). */
function taskState(target: SparkTarget): () => string | undefined {
	return () => {
		const created = target.simulator?.requestsTo('create').at(-1)?.taskId;
		const task = created ? target.simulator?.task(created) : undefined;
		return task ? `task ${task.id} ${task.status}` : undefined;
	};
}

/** The simulator's price is made up; say so next to it. */
function costLine(cost: string | undefined, target: SparkTarget): string {
	if (cost === undefined) return 'n/a';
	return target.kind === 'simulator' ? `${cost} USD (the simulator's made-up price: nothing was billed)` : `${cost} USD (as Vtrix reported it)`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { image: { type: 'string' }, prompt: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' } },
	});
	let target: SparkTarget | undefined;
	let imageServer: Server | undefined;
	stopOnSignals({
		cleanup: async () => {
			imageServer?.close();
			await target?.close();
		},
		exitCode: exitCodeOfSignal,
	});
	target = await sparkTarget({ taskDurationMs: 3000 });
	const packDir = mkdtempSync(path.join(tmpdir(), 'spark-demo-'));
	try {
		const image = await imageUrl(values.image ?? path.join(ROOT, 'test', 'simulator', 'fixtures', 'portrait.jpg'), target);
		imageServer = image.server;
		const workflow = withBaseUrl(
			JSON.parse(readFileSync(path.join(ROOT, 'examples', 'edit-portrait.json'), 'utf8')) as ExampleWorkflow,
			target.baseUrl,
		);
		const node = workflow.nodes.find((candidate) => candidate.name === NODE_NAME);
		if (!node) throw new Error(`examples/edit-portrait.json has no "${NODE_NAME}" node`);
		node.parameters.imageUrl = image.url;
		if (values.prompt !== undefined) node.parameters.prompt = values.prompt;
		if (values.width) node.parameters.width = Number(values.width);
		if (values.height) node.parameters.height = Number(values.height);

		const runtime = n8nRuntime('n8n2');
		console.log(`Running "${NODE_NAME}" in n8n ${runtime.version} against ${target.kind === 'simulator' ? 'the simulator' : target.baseUrl} ...`);
		const { credential } = target;
		const n8n = await withProgress({ label: 'Setting up n8n (installing the node, creating its database)', usual: '20 s' }, async () => {
			const instance = await createN8nInstance({ runtime, packageTarball: packPackage(packDir) });
			await instance.importCredentials([credential]);
			return instance;
		});
		try {
			const result = await withProgress(
				{ label: 'Running the workflow (n8n starts, the node creates a task and waits for it)', usual: '20 s', far: taskState(target) },
				() => n8n.runWorkflow(workflow),
			);
			const error = executionError(result.run);
			if (error || result.exitCode !== 0) {
				throw new Error(`the workflow failed: ${error?.message ?? `n8n exited with ${result.exitCode}`}${error?.description ? `\n  ${error.description}` : ''}`);
			}
			const [item] = nodeOutput(result.run, NODE_NAME);
			const binary = item.binary?.data;
			if (!binary) throw new Error('the node returned no image');
			const outDir = path.join(process.cwd(), 'out');
			mkdirSync(outDir, { recursive: true });
			const file = path.join(outDir, binary.fileName ?? `${String(item.json.taskId)}.jpg`);
			writeFileSync(file, await n8n.readBinary(binary));
			const usage = item.json.usage as { cost?: string } | undefined;
			console.log(`task id: ${String(item.json.taskId)}\ncost:    ${costLine(usage?.cost, target)}\nimage:   ${path.relative(process.cwd(), file)} (${binary.mimeType})`);
		} finally {
			await n8n.dispose();
		}
	} finally {
		imageServer?.close();
		rmSync(packDir, { recursive: true, force: true });
		await target.close();
	}
}

main().catch((error: unknown) => {
	// Stopping kills the n8n command under the run; shutdown.ts exits once everything is down.
	if (stopRequested()) return;
	console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
