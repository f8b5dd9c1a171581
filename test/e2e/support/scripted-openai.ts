/**
 * A scripted OpenAI-compatible model on loopback, for n8n's OpenAI Chat Model node (through the Base URL of
 * n8n's OpenAI credential). It speaks both wire formats that node uses: Chat Completions (n8n 1.x, and 2.x
 * with "Use Responses API" off) and the Responses API (2.x's default), each plain or streamed (SSE). It
 * records every request and follows one script: the first turn calls the first tool it was offered with
 * the arguments the test gave; once a tool result came back it answers with a final text built from it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WireFormat = 'chatCompletions' | 'responses';

/** A tool as the model was offered it, the same shape from both wire formats. */
export interface OfferedTool {
	name: string;
	description: string;
	parameters: { type?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ModelTurn {
	format: WireFormat;
	path: string;
	stream: boolean;
	authorization?: string;
	body: Record<string, unknown>;
	tools: OfferedTool[];
	/** Tool results the conversation carried in this request (what the model "read"). */
	toolResults: string[];
	/** What the script answered. */
	answer: { toolCall: { name: string; arguments: string } } | { text: string };
}

export interface ScriptedModelOptions {
	/** Arguments the model passes to the tool it calls. */
	toolArguments: Record<string, unknown>;
	/** The final message, given the tool result the model read. */
	finalText: (toolResult: string) => string;
}

export interface ScriptedModel {
	/** Base URL for n8n's OpenAI credential, e.g. http://127.0.0.1:1234/v1. */
	baseUrl: string;
	turns: ModelTurn[];
	/** Requests to paths this model does not serve (the test asserts there were none). */
	unknownRequests: string[];
	/** Arguments for the tool calls of later conversations. */
	setToolArguments(toolArguments: Record<string, unknown>): void;
	close(): Promise<void>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson(request: IncomingMessage): Promise<Json> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	const parsed: unknown = text ? JSON.parse(text) : {};
	return isObject(parsed) ? parsed : {};
}

/** Tools in either format: `{type:'function', function:{name,…}}` (chat) or `{type:'function', name,…}` (responses). */
function offeredTools(body: Json): OfferedTool[] {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	return tools.filter(isObject).map((tool) => {
		const fn = isObject(tool.function) ? tool.function : tool;
		return {
			name: String(fn.name ?? ''),
			description: String(fn.description ?? ''),
			parameters: (isObject(fn.parameters) ? fn.parameters : {}) as OfferedTool['parameters'],
		};
	});
}

function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (isObject(part) ? String(part.text ?? '') : '')).join('');
	return '';
}

function toolResults(format: WireFormat, body: Json): string[] {
	if (format === 'chatCompletions') {
		const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
		return messages.filter((message) => message.role === 'tool').map((message) => contentText(message.content));
	}
	const input = Array.isArray(body.input) ? body.input.filter(isObject) : [];
	return input.filter((item) => item.type === 'function_call_output').map((item) => contentText(item.output));
}

const usage = { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 };
const responsesUsage = { input_tokens: 50, output_tokens: 20, total_tokens: 70 };

function chatCompletion(model: string, answer: ModelTurn['answer'], id: string): Json {
	const message =
		'toolCall' in answer
			? {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: `call_${id}`, type: 'function', function: answer.toolCall }],
				}
			: { role: 'assistant', content: answer.text };
	return {
		id: `chatcmpl-${id}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, finish_reason: 'toolCall' in answer ? 'tool_calls' : 'stop' }],
		usage,
	};
}

function chatCompletionChunks(model: string, answer: ModelTurn['answer'], id: string): Json[] {
	const base = { id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta =
		'toolCall' in answer
			? {
					role: 'assistant',
					content: null,
					tool_calls: [{ index: 0, id: `call_${id}`, type: 'function', function: answer.toolCall }],
				}
			: { role: 'assistant', content: answer.text };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'toolCall' in answer ? 'tool_calls' : 'stop' }], usage },
	];
}

function responsesOutput(answer: ModelTurn['answer'], id: string): Json {
	return 'toolCall' in answer
		? { type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, status: 'completed', ...answer.toolCall }
		: {
				type: 'message',
				id: `msg_${id}`,
				role: 'assistant',
				status: 'completed',
				content: [{ type: 'output_text', text: answer.text, annotations: [] }],
			};
}

function response(model: string, answer: ModelTurn['answer'], id: string): Json {
	return {
		id: `resp_${id}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model,
		output: [responsesOutput(answer, id)],
		parallel_tool_calls: true,
		tool_choice: 'auto',
		tools: [],
		usage: responsesUsage,
	};
}

/** The Responses API's stream: the events an SDK needs to rebuild the same response. */
function responseEvents(model: string, answer: ModelTurn['answer'], id: string): Json[] {
	const full = response(model, answer, id);
	const item = responsesOutput(answer, id);
	const started = { ...full, status: 'in_progress', output: [] };
	const events: Json[] = [
		{ type: 'response.created', response: started },
		{ type: 'response.in_progress', response: started },
		{ type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } },
	];
	if ('toolCall' in answer) {
		events.push(
			{ type: 'response.function_call_arguments.delta', output_index: 0, item_id: item.id, delta: answer.toolCall.arguments },
			{ type: 'response.function_call_arguments.done', output_index: 0, item_id: item.id, arguments: answer.toolCall.arguments },
		);
	} else {
		events.push(
			{ type: 'response.output_text.delta', output_index: 0, item_id: item.id, content_index: 0, delta: answer.text },
			{ type: 'response.output_text.done', output_index: 0, item_id: item.id, content_index: 0, text: answer.text },
		);
	}
	events.push({ type: 'response.output_item.done', output_index: 0, item }, { type: 'response.completed', response: full });
	return events.map((event, index) => ({ ...event, sequence_number: index }));
}

function sendSse(res: ServerResponse, events: Json[], withDone: boolean): void {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	for (const event of events) {
		const name = typeof event.type === 'string' && event.type.startsWith('response.') ? `event: ${event.type}\n` : '';
		res.write(`${name}data: ${JSON.stringify(event)}\n\n`);
	}
	if (withDone) res.write('data: [DONE]\n\n');
	res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

export async function startScriptedModel(options: ScriptedModelOptions): Promise<ScriptedModel> {
	let { toolArguments } = options;
	const turns: ModelTurn[] = [];
	const unknownRequests: string[] = [];

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = new URL(req.url ?? '/', 'http://model').pathname;
		if (req.method === 'GET' && path.endsWith('/models')) {
			sendJson(res, 200, { object: 'list', data: [{ id: 'scripted-model', object: 'model', owned_by: 'test' }] });
			return;
		}
		const format: WireFormat | undefined = path.endsWith('/chat/completions')
			? 'chatCompletions'
			: path.endsWith('/responses')
				? 'responses'
				: undefined;
		if (req.method !== 'POST' || !format) {
			unknownRequests.push(`${req.method} ${path}`);
			sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
			return;
		}
		const body = await readJson(req);
		const tools = offeredTools(body);
		const results = toolResults(format, body);
		let answer: ModelTurn['answer'];
		if (results.length > 0) answer = { text: options.finalText(results[results.length - 1]) };
		else if (tools.length > 0) answer = { toolCall: { name: tools[0].name, arguments: JSON.stringify(toolArguments) } };
		else answer = { text: 'No tool was offered to me.' };
		const stream = body.stream === true;
		turns.push({ format, path, stream, authorization: req.headers.authorization, body, tools, toolResults: results, answer });

		const id = String(turns.length);
		const model = typeof body.model === 'string' ? body.model : 'scripted-model';
		if (format === 'chatCompletions') {
			if (stream) sendSse(res, chatCompletionChunks(model, answer, id), true);
			else sendJson(res, 200, chatCompletion(model, answer, id));
		} else if (stream) sendSse(res, responseEvents(model, answer, id), false);
		else sendJson(res, 200, response(model, answer, id));
	}

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { message: String(error) } }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		turns,
		unknownRequests,
		setToolArguments: (next) => {
			toolArguments = next;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
