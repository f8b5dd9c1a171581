import type { IncomingMessage, ServerResponse } from 'node:http';

import { gate, handleCreate, handleDownload, handleFixture, handleStatus, handleUnknown, type ApiContext } from './apiHandlers';
import { applyFault } from './applyFault';
import { handleControl } from './controlApi';
import type { FaultQueue } from './faults';
import { decodeForRecord, jsonReply, readBody, writeReply, type Reply } from './httpIo';
import type { ImageStore } from './imageStore';
import type { RateLimiter } from './rateLimiter';
import { rateLimitHeaders } from './rateLimitHeaders';
import { unwrapCreate } from './requestShape';
import { matchRoute, type Match } from './routes';
import type { Sleeper } from './sleeper';
import type { TaskStore } from './taskStore';
import type { RecordedRequest, ResolvedOptions, SimulatorHandle } from './types';

export interface HandlerDeps {
	options: ResolvedOptions;
	requests: () => RecordedRequest[];
	faults: FaultQueue;
	tasks: TaskStore;
	images: ImageStore;
	limiter: RateLimiter;
	sleeper: Sleeper;
	handle: () => SimulatorHandle;
}

type Outcome = { reply: Reply; taskId?: string };

/** One request: record it, let a queued fault take it over, else answer it normally. */
export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handle(deps, req, res).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			writeReply(res, jsonReply(500, { error: { code: '500', error_message: `Simulator error: ${message}` } }));
		});
	};
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const method = req.method ?? 'GET';
	const target = req.url ?? '/';
	const match = matchRoute(method, target, deps.options);
	const record: RecordedRequest = { at: deps.options.now(), method, path: target, route: match.route, headers: { ...req.headers } };
	if ('taskId' in match) record.taskId = match.taskId;
	deps.requests().push(record);

	const log = (result: string): void => deps.options.log(`${method} ${target} -> ${result} (${deps.options.now() - record.at} ms)`);
	let note = '';
	res.on('finish', () => {
		record.statusCode = res.statusCode;
		log(`${res.statusCode}${note}`);
	});
	res.on('close', () => {
		record.closedAt = deps.options.now();
	});

	const raw = await readBody(req);
	const body = decodeForRecord(raw);
	if (body !== undefined) record.body = body;
	if (match.route === 'create') {
		record.text = raw.toString('utf8');
		record.fields = createFieldsOf(body);
	}

	if (match.route === 'control') return writeReply(res, handleControl(deps.handle(), method, match.action, body));

	const ctx: ApiContext = { ...deps, baseUrl: `http://${req.headers.host ?? deps.handle().url.slice('http://'.length)}` };
	const process = async (): Promise<Reply> => {
		const outcome = await dispatch(ctx, match, req, raw);
		if (outcome.taskId) record.taskId = outcome.taskId;
		return outcome.reply;
	};

	const fault = deps.faults.take(match.route, record.taskId);
	if (!fault) return writeReply(res, await process());
	note = ` [fault: ${fault.kind}]`;
	const isApi = match.route === 'create' || match.route === 'status';
	await applyFault(fault, { res, options: deps.options, sleeper: deps.sleeper, isApi, process, log: (what) => log(what + note) });
}

/** A create's fields, in whichever shape they came, so a test reads them the same way for both. */
function createFieldsOf(body: unknown): Record<string, unknown> | undefined {
	const unwrapped = unwrapCreate(body, 'both');
	const fields = unwrapped.ok ? unwrapped.fields : undefined;
	return typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>) : undefined;
}

async function dispatch(ctx: ApiContext, match: Match, req: IncomingMessage, raw: Buffer): Promise<Outcome> {
	switch (match.route) {
		case 'create': {
			const refused = gate(ctx, req.headers);
			return refused ? { reply: refused } : withLimitHeaders(ctx, handleCreate(ctx, raw));
		}
		case 'status': {
			const refused = gate(ctx, req.headers);
			return refused ? { reply: refused } : withLimitHeaders(ctx, { reply: handleStatus(ctx, match.taskId) });
		}
		case 'download':
			return { reply: handleDownload(ctx, match.taskId, match.jobId) };
		case 'fixture':
			return { reply: await handleFixture(match.name) };
		case 'unknown':
			return { reply: handleUnknown(match.methodNotAllowed) };
		case 'control':
			throw new Error('control routes are handled before dispatch');
	}
}

/** An accepted API request's answer carries the limit's state too, as a gateway would add it. */
function withLimitHeaders(ctx: ApiContext, outcome: Outcome): Outcome {
	const headers = { ...rateLimitHeaders(ctx.limiter, ctx.options), ...ctx.options.answerHeaders };
	return { ...outcome, reply: { ...outcome.reply, headers: { ...outcome.reply.headers, ...headers } } };
}
