/**
 * An AI Agent that uses Spark Portrait as a tool, in real n8n (1.123.x on Node 22, 2.41.x on Node 24):
 * Manual Trigger → AI Agent with n8n's own OpenAI Chat Model (its credential's Base URL pointed at a
 * scripted model on loopback) and the Spark Portrait Tool with the tool defaults a person gets when they
 * attach it. The scripted model records the tool definition, calls the tool, reads the result and answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSimulator, type SimulatorHandle } from '../simulator';
import { createN8nInstance, n8nRuntime, type ExecuteResult, type N8nInstance, type N8nVersionKey } from './support/n8n';
import { packPackage } from './support/pack';
import { startScriptedModel, type ModelTurn, type ScriptedModel } from './support/scripted-openai';

jest.setTimeout(240_000);

const API_KEY = 'agent-secret-key-1f9c3e77';
const OPENAI_KEY = 'sk-scripted-model-key';
const PROMPT = 'studio portrait, soft window light';
// A tool result above this is not a summary any more (a base64 image would be hundreds of KB).
const MAX_TOOL_RESULT_BYTES = 4096;

/** The node versions a person gets from each n8n's nodes panel today. */
const NODE_VERSIONS: Record<N8nVersionKey, { agent: number; chatModel: number }> = {
	n8n1: { agent: 2.2, chatModel: 1.2 },
	n8n2: { agent: 3.1, chatModel: 1.3 },
};

let sim: SimulatorHandle;
let packDir: string;
let tarball: string;

beforeAll(async () => {
	sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: 1000 });
	packDir = mkdtempSync(path.join(tmpdir(), 'spark-agent-pack-'));
	tarball = packPackage(packDir);
});

afterAll(async () => {
	await sim?.close();
	rmSync(packDir, { recursive: true, force: true });
});

function agentWorkflow(key: N8nVersionKey): object {
	const versions = NODE_VERSIONS[key];
	return {
		id: `agentTool${key}`,
		name: 'Agent with Spark Portrait',
		nodes: [
			{ id: 'ag-0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'ag-1',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: versions.agent,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text: `Please edit my photo ${sim.url}/fixtures/portrait.jpg into a ${PROMPT} and send me the link.`,
					options: {},
				},
			},
			{
				id: 'ag-2',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: versions.chatModel,
				position: [120, 220],
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' }, options: {} },
				credentials: { openAiApi: { id: 'openAiScripted', name: 'OpenAI (scripted)' } },
			},
			{
				id: 'ag-3',
				name: 'Spark Portrait',
				type: 'n8n-nodes-spark-portrait.sparkPortraitTool',
				typeVersion: 1,
				position: [340, 220],
				// What the editor saves when the tool is attached and nothing is changed: its defaults.
				parameters: {},
				credentials: { sparkApi: { id: 'sparkAgent', name: 'Spark API (simulator)' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Spark Portrait': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

interface AgentRun {
	result: ExecuteResult;
	commandMs: number;
	executionMs: number;
	output: string;
}

describe.each<[N8nVersionKey]>([['n8n1'], ['n8n2']])('an AI Agent with the Spark Portrait Tool in real %s', (key) => {
	let n8n: N8nInstance;
	let model: ScriptedModel;
	let agent: AgentRun;
	let toolTurn: ModelTurn;
	let answerTurn: ModelTurn;

	beforeAll(async () => {
		sim.reset();
		model = await startScriptedModel({
			toolArguments: { imageUrl: `${sim.url}/fixtures/portrait.jpg`, prompt: PROMPT },
			finalText: (toolResult) => {
				const url = /"imageUrl":"([^"]+)"/.exec(toolResult)?.[1] ?? 'no image URL';
				return `Here is your edited portrait: ${url}`;
			},
		});
		n8n = await createN8nInstance({ runtime: n8nRuntime(key), packageTarball: tarball });
		await n8n.importCredentials([
			{
				id: 'sparkAgent',
				name: 'Spark API (simulator)',
				type: 'sparkApi',
				data: { apiKey: API_KEY, baseUrl: sim.url, createTaskPath: '/v1/portrait/tasks', taskStatusPath: '/v1/portrait/tasks/{taskId}' },
			},
			{ id: 'openAiScripted', name: 'OpenAI (scripted)', type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: model.baseUrl } },
		]);
		await n8n.importWorkflow(agentWorkflow(key));
		const started = Date.now();
		const result = await n8n.execute(`agentTool${key}`);
		const commandMs = Date.now() - started;
		const run = result.run as { startedAt?: string; stoppedAt?: string } | undefined;
		const executionMs = run?.startedAt && run.stoppedAt ? Date.parse(run.stoppedAt) - Date.parse(run.startedAt) : NaN;
		agent = { result, commandMs, executionMs, output: JSON.stringify(result.run ?? {}) };
		[toolTurn, answerTurn] = model.turns;
		const toolResult = answerTurn?.toolResults.at(-1) ?? '';
		// The figures for the README.
		console.log(
			`[agent ${key}] wire format ${toolTurn?.format}${toolTurn?.stream ? ' (streamed)' : ''}; ` +
				`tool result ${Buffer.byteLength(toolResult)} bytes; execution ${executionMs} ms; n8n execute ${commandMs} ms`,
		);
	});

	afterAll(async () => {
		await model?.close();
		await n8n?.dispose();
	});

	it('runs to the end: two model turns, one task created', () => {
		expect({ exitCode: agent.result.exitCode, turns: model.turns.length, unknown: model.unknownRequests }).toEqual({
			exitCode: 0,
			turns: 2,
			unknown: [],
		});
		expect(toolTurn.authorization).toBe(`Bearer ${OPENAI_KEY}`);
		expect(sim.requestsTo('create')).toHaveLength(1);
	});

	it('offers the tool with a clear description and a schema for the image URL and the prompt', () => {
		const tool = toolTurn.tools.find((offered) => offered.name === 'Spark_Portrait');
		expect(tool).toBeDefined();
		expect(tool!.description).toMatch(/portrait/i);
		expect(tool!.description).toMatch(/image URL/i);
		expect(tool!.description).toMatch(/prompt/i);
		const { properties = {}, required = [] } = tool!.parameters;
		expect(Object.keys(properties).sort()).toEqual(['imageUrl', 'prompt']);
		expect(required.sort()).toEqual(['imageUrl', 'prompt']);
		expect(properties.imageUrl).toMatchObject({ type: 'string', description: expect.stringMatching(/http/) });
		expect(properties.prompt).toMatchObject({ type: 'string', description: expect.stringMatching(/scene|style/i) });
	});

	it('sends the model the result URL, task id, status and cost, and nothing large', () => {
		const [toolResult] = answerTurn.toolResults;
		expect(Buffer.byteLength(toolResult)).toBeLessThan(MAX_TOOL_RESULT_BYTES);
		// No base64 run of any length worth mentioning (an image would be one long run).
		expect(toolResult).not.toMatch(/[A-Za-z0-9+/]{200,}/);
		const task = sim.requestsTo('create')[0].taskId as string;
		expect(toolResult).toContain(task);
		expect(toolResult).toContain('"completed"');
		expect(toolResult).toContain('"cost":"0.0300"');
		expect(toolResult).toMatch(new RegExp(`"imageUrl":"${sim.url}/cdn/${task}/`));
		// The create request got what the model asked for.
		expect(sim.requestsTo('create')[0].body).toMatchObject({ image_input: `${sim.url}/fixtures/portrait.jpg`, prompt: PROMPT });
	});

	it("puts the model's final message in the execution's output", () => {
		const text = (answerTurn.answer as { text: string }).text;
		expect(text).toMatch(new RegExp(`^Here is your edited portrait: ${sim.url}/cdn/`));
		expect(agent.output).toContain(JSON.stringify(text).slice(1, -1));
	});

	it('prints no API key', () => {
		const printed = `${agent.result.stdout}\n${agent.result.stderr}`;
		expect(printed).not.toContain(API_KEY);
		expect(printed).not.toContain(OPENAI_KEY);
	});
});
