/**
 * An AI Agent that uses Spark Portrait as a tool, in real n8n (1.123.x on Node 22, 2.41.x on Node 24):
 * Manual Trigger → AI Agent with n8n's own OpenAI Chat Model (its credential's Base URL pointed at a
 * scripted model on loopback) and the Spark Portrait Tool with the tool defaults a person gets when they
 * attach it. The scripted model records the tool definition, calls the tool, reads the result and answers.
 */
import { startSimulator, type SimulatorHandle } from '../simulator';
import type { ExecuteResult, N8nVersionKey } from './support/n8n';
import { sharedN8n } from './support/shared-n8n';
import type { WorkflowRunner } from './support/workflow-runner';
import { startScriptedModel, type ModelTurn, type ScriptedModel, type WireFormat } from './support/scripted-openai';

jest.setTimeout(240_000);

const API_KEY = 'agent-secret-key-1f9c3e77';
const OPENAI_KEY = 'sk-scripted-model-key';
const PROMPT = 'studio portrait, soft window light';
// A tool result above this is not a summary any more (a base64 image would be hundreds of KB).
const MAX_TOOL_RESULT_BYTES = 4096;

/** The node versions a person gets from each n8n's nodes panel today. */
const NODE_VERSIONS: Record<N8nVersionKey, { agent: number; chatModel: number }> = {
	n8n1: { agent: 3, chatModel: 1.3 },
	n8n2: { agent: 3.1, chatModel: 1.3 },
};
// The chat model's "Use Responses API" is on by default in both lines (the wire format a person gets);
// off, it sends Chat Completions, checked on 2.x only to keep the run short (same node version in 1.x).
const CASES: Array<[N8nVersionKey, WireFormat]> = [
	['n8n1', 'responses'],
	['n8n2', 'responses'],
	['n8n2', 'chatCompletions'],
];
const VERSIONS: N8nVersionKey[] = ['n8n1', 'n8n2'];

let sim: SimulatorHandle;

beforeAll(async () => {
	sim = await startSimulator({ apiKey: API_KEY, taskDurationMs: 1000 });
});

afterAll(async () => {
	await sim?.close();
});

function agentWorkflow(key: N8nVersionKey, id: string, format: WireFormat): object {
	const versions = NODE_VERSIONS[key];
	const chatModelOptions = format === 'responses' ? {} : { responsesApiEnabled: false };
	return {
		id,
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
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' }, ...chatModelOptions, options: {} },
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
				credentials: { sparkPortraitVtrixApi: { id: 'sparkAgent', name: 'Spark API (simulator)' } },
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

async function importCredentials(n8n: WorkflowRunner, model: ScriptedModel): Promise<void> {
	await n8n.importCredentials([
		{
			id: 'sparkAgent',
			name: 'Spark API (simulator)',
			type: 'sparkPortraitVtrixApi',
			data: { apiKey: API_KEY, baseUrl: sim.url },
		},
		// n8n's own OpenAI credential, its Base URL pointed at the scripted model.
		{ id: 'openAiScripted', name: 'OpenAI (scripted)', type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: model.baseUrl } },
	]);
}

interface AgentRun {
	result: ExecuteResult;
	/** The model's turns in this run. */
	turns: ModelTurn[];
	/** Wall time of the execution, as n8n stamped it (startedAt to stoppedAt). */
	executionMs: number;
	/** Wall time from the webhook call that starts the run to its finished execution, read back. */
	commandMs: number;
}

const GOOD_ARGUMENTS = () => ({ imageUrl: `${sim.url}/fixtures/portrait.jpg`, prompt: PROMPT });

/** The shared n8n of each version, with the credentials; each run imports and executes one agent workflow. */
const instances = new Map<N8nVersionKey, { n8n: WorkflowRunner; model: ScriptedModel }>();

async function instanceFor(key: N8nVersionKey): Promise<{ n8n: WorkflowRunner; model: ScriptedModel }> {
	const existing = instances.get(key);
	if (existing) return existing;
	const model = await startScriptedModel({
		toolArguments: GOOD_ARGUMENTS(),
		finalText: (toolResult) => {
			const url = /"imageUrl":"([^"]+)"/.exec(toolResult)?.[1];
			return url ? `Here is your edited portrait: ${url}` : `The tool said: ${toolResult}`;
		},
	});
	const n8n = await sharedN8n(key);
	await importCredentials(n8n, model);
	const created = { n8n, model };
	instances.set(key, created);
	return created;
}

afterAll(async () => {
	for (const { n8n, model } of instances.values()) {
		await model.close();
		await n8n.dispose();
	}
});

async function runAgent(key: N8nVersionKey, format: WireFormat, toolArguments: Record<string, unknown>): Promise<AgentRun> {
	const { n8n, model } = await instanceFor(key);
	const id = `agent-${key}-${model.turns.length}`;
	await n8n.importWorkflow(agentWorkflow(key, id, format));
	model.setToolArguments(toolArguments);
	const firstTurn = model.turns.length;
	const started = Date.now();
	const result = await n8n.execute(id);
	const commandMs = Date.now() - started;
	const run = result.run as { startedAt?: string; stoppedAt?: string } | undefined;
	const executionMs = run?.startedAt && run.stoppedAt ? Date.parse(run.stoppedAt) - Date.parse(run.startedAt) : NaN;
	return { result, turns: model.turns.slice(firstTurn), executionMs, commandMs };
}

describe.each(CASES)('an AI Agent with the Spark Portrait Tool in real %s, model API %s', (key, format) => {
	let agent: AgentRun;
	let toolTurn: ModelTurn;
	let answerTurn: ModelTurn;

	beforeAll(async () => {
		sim.reset();
		agent = await runAgent(key, format, GOOD_ARGUMENTS());
		[toolTurn, answerTurn] = agent.turns;
		const toolResult = answerTurn?.toolResults.at(-1) ?? '';
		// The figures for docs/ai-agents.md.
		process.stdout.write(
			`[agent ${key} ${format}] ${toolTurn?.path}${toolTurn?.stream ? ' (streamed)' : ''}; ` +
				`tool result ${Buffer.byteLength(toolResult)} bytes; execution ${agent.executionMs} ms; ` +
				`webhook to finished run ${agent.commandMs} ms\n`,
		);
	});

	it('runs to the end: two model turns in the expected wire format, one task created', () => {
		const { model } = instances.get(key)!;
		expect({ exitCode: agent.result.exitCode, formats: agent.turns.map((turn) => turn.format), unknown: model.unknownRequests }).toEqual({
			exitCode: 0,
			formats: [format, format],
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
		expect(sim.requestsTo('create')[0].fields).toMatchObject({ image_input: `${sim.url}/fixtures/portrait.jpg`, prompt: PROMPT });
	});

	it("puts the model's final message in the execution's output", () => {
		const text = (answerTurn.answer as { text: string }).text;
		expect(text).toMatch(new RegExp(`^Here is your edited portrait: ${sim.url}/cdn/`));
		expect(JSON.stringify(agent.result.run ?? {})).toContain(JSON.stringify(text).slice(1, -1));
	});

	it('leaves the image out of the tool run (agents read JSON only), so nothing is downloaded', () => {
		expect(sim.requestsTo('download')).toHaveLength(0);
	});

	it('prints no API key', () => {
		const printed = `${agent.result.stdout}\n${agent.result.stderr}`;
		expect(printed).not.toContain(API_KEY);
		expect(printed).not.toContain(OPENAI_KEY);
	});
});

describe.each(VERSIONS)('a tool call with bad input in real %s', (key) => {
	it('gives the model a short error naming the field and what it accepts, and creates no task', async () => {
		sim.reset();
		const agent = await runAgent(key, 'responses', { imageUrl: 'my-photo.jpg', prompt: PROMPT });
		const seen = agent.turns.flatMap((turn) => turn.toolResults);
		process.stdout.write(`[agent ${key} bad input] exit ${agent.result.exitCode}; model read: ${JSON.stringify(seen)}\n`);
		expect(agent.result.exitCode).toBe(0);
		expect(sim.requestsTo('create')).toHaveLength(0);
		expect(seen).toHaveLength(1);
		expect(seen[0]).toContain('Image URL (image_input) must be an absolute http:// or https:// URL');
		expect(Buffer.byteLength(seen[0])).toBeLessThan(600);
		// The agent answers after reading the error: the run does not fail.
		expect(agent.turns.at(-1)?.answer).toEqual({ text: expect.stringContaining('The tool said:') });
	});
});
