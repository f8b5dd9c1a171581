/**
 * The install before the first release, as docs/install.md tells a user to type it: the packed file
 * installed with the page's own command into n8n's user folder (HOME is a throwaway folder here, so
 * `~/.n8n/nodes` is its own), then real n8n 2.41 started on that folder runs the example workflow
 * against the simulator. Both kinds of saved credential must work there: one saved before the Custom
 * Endpoint toggle existed (its Base URL a field of its own) and one with the toggle on; the test goes
 * through n8n's own CLI, whose credential helper hands the node only the fields the form would show.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSimulator, type SimulatorHandle } from '../simulator';
import { runCommand } from './support/child-process';
import { freePort, n8nEnv } from './support/n8n-env';
import { n8nRuntime, nodeOutput, parseRawOutput, type N8nRuntime } from './support/n8n';
import { packPackage } from './support/pack';
import { REPO_ROOT } from './support/runtime';

jest.setTimeout(300_000);

const INSTALL_PAGE = path.join(REPO_ROOT, 'docs', 'install.md');
const NODE_NAME = 'Edit Portrait';

/** The shell block under a heading of docs/install.md, exactly as a user would copy it. */
function commandsUnder(heading: string): string {
	const page = readFileSync(INSTALL_PAGE, 'utf8');
	const section = page.slice(page.indexOf(heading));
	const block = /```sh\n([^]*?)```/.exec(section);
	if (!block) throw new Error(`docs/install.md has no sh block under "${heading}"`);
	return block[1];
}

let sim: SimulatorHandle;
let home: string;
let runtime: N8nRuntime;

beforeAll(async () => {
	runtime = n8nRuntime('n8n2');
	sim = await startSimulator({ taskDurationMs: 500 });
	home = mkdtempSync(path.join(tmpdir(), 'spark-install-home-'));
});

afterAll(async () => {
	await sim?.close();
	rmSync(home, { recursive: true, force: true });
});

it("installs with the page's command into ~/.n8n/nodes: the package alone, without a second n8n-workflow", () => {
	// Step 1's result: the tarball `npm pack` makes (built by test:e2e first), in the folder the user stands in.
	const packDir = mkdtempSync(path.join(tmpdir(), 'spark-install-pack-'));
	try {
		const tarball = packPackage(packDir);
		expect(path.basename(tarball)).toMatch(/^n8n-nodes-spark-portrait-\d+\.\d+\.\d+\.tgz$/);
		const install = commandsUnder("### 2. Install it into n8n's user folder");
		expect(install).toContain('~/.n8n/nodes');
		// The page names the file of this version; the user's shell expands ~ and $PWD.
		execFileSync('bash', ['-euo', 'pipefail', '-c', install.replace(/n8n-nodes-spark-portrait-[\d.]+\.tgz/g, path.basename(tarball))], {
			cwd: packDir,
			// Offline and quiet as a test must be; the command itself is the page's.
			env: { ...process.env, HOME: home, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
			stdio: 'pipe',
		});
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
	const nodes = path.join(home, '.n8n', 'nodes');
	expect(existsSync(path.join(nodes, 'node_modules', 'n8n-nodes-spark-portrait', 'dist', 'nodes', 'SparkPortrait', 'SparkPortrait.node.js'))).toBe(true);
	expect(existsSync(path.join(nodes, 'node_modules', 'n8n-workflow'))).toBe(false);
	expect(JSON.parse(readFileSync(path.join(nodes, 'package.json'), 'utf8')).dependencies).toEqual({
		'n8n-nodes-spark-portrait': expect.stringMatching(/^file:/),
	});
});

describe('n8n started on that user folder', () => {
	async function n8n(args: string[]) {
		const env = n8nEnv({ runtime, userFolder: home, brokerPort: await freePort() });
		return await runCommand(runtime.nodeBin, [runtime.n8nBin, ...args], { cwd: home, env, timeoutMs: 180_000 });
	}

	async function importFile(command: string, content: unknown): Promise<void> {
		const file = path.join(home, `${command.replace(':', '-')}.json`);
		writeFileSync(file, JSON.stringify(content));
		const result = await n8n([command, `--input=${file}`]);
		if (!/Successfully imported/.test(result.stdout)) throw new Error(`n8n ${command} failed:\n${result.stdout}\n${result.stderr}`);
	}

	/** examples/edit-portrait.json, pointed at the simulator and at one credential. */
	function exampleWith(id: string, credentialId: string): object {
		const text = readFileSync(path.join(REPO_ROOT, 'examples', 'edit-portrait.json'), 'utf8').split('http://127.0.0.1:8787').join(sim.url);
		const workflow = JSON.parse(text) as { id: string; nodes: Array<{ name: string; credentials?: Record<string, { id: string; name: string }> }> };
		workflow.id = id;
		const node = workflow.nodes.find((candidate) => candidate.name === NODE_NAME);
		node!.credentials = { sparkPortraitVtrixApi: { id: credentialId, name: credentialId } };
		return workflow;
	}

	beforeAll(async () => {
		await importFile('import:credentials', [
			// Saved before Custom Endpoint existed: the Base URL under its own name, no toggle.
			{ id: 'sparkSavedEarlier', name: 'sparkSavedEarlier', type: 'sparkPortraitVtrixApi', data: { apiKey: sim.apiKey, baseUrl: sim.url } },
			{ id: 'sparkCustom', name: 'sparkCustom', type: 'sparkPortraitVtrixApi', data: { apiKey: sim.apiKey, customEndpoint: true, customBaseUrl: sim.url } },
		]);
	});

	it.each([
		['a credential saved before the toggle', 'sparkSavedEarlier', 'installSaved'],
		['a credential with Custom Endpoint on', 'sparkCustom', 'installCustom'],
	])('runs the example workflow with %s', async (_name, credentialId, workflowId) => {
		sim.reset();
		await importFile('import:workflow', exampleWith(workflowId, credentialId));
		const result = await n8n(['execute', `--id=${workflowId}`, '--rawOutput']);
		const [item] = nodeOutput(parseRawOutput(result.stdout), NODE_NAME);
		expect(item.json).toMatchObject({ status: 'completed', imageUrl: expect.stringContaining(`${sim.url}/cdn/`) });
		expect(sim.requestsTo('create')).toHaveLength(1);
		expect(sim.requestsTo('create')[0].headers.authorization).toBe(`Bearer ${sim.apiKey}`);
	});
});
