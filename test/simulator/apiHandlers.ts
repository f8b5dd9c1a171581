import type { IncomingHttpHeaders } from 'node:http';

import { CODE, plainError, taskError } from './errorCodes';
import { loadFixture } from './fixtures';
import { jsonReply, type Reply } from './httpIo';
import type { ImageStore } from './imageStore';
import type { RateLimiter } from './rateLimiter';
import { rateLimitHeaders } from './rateLimitHeaders';
import { downloadKey, type TaskStore } from './taskStore';
import type { ResolvedOptions } from './types';
import { unwrapCreate } from './requestShape';
import { validateCreate } from './validateCreate';
import { createErrorBody, shapeError, shapeSuccess, taskBody } from './wireFormat';

export interface ApiContext {
	options: ResolvedOptions;
	tasks: TaskStore;
	images: ImageStore;
	limiter: RateLimiter;
	/** Base for result URLs: the Host the client used, so a client in a container gets a URL it can reach. */
	baseUrl: string;
}

/** Rate limit, then auth: the order a gateway in front of the real service would use. */
export function gate(ctx: ApiContext, headers: IncomingHttpHeaders): Reply | undefined {
	if (!ctx.limiter.allow(ctx.options.rateLimitPerSecond, ctx.options.now())) {
		return jsonReply(429, shapeError(plainError('429', 'Rate limit exceeded'), ctx.options), { 'Retry-After': '1', ...rateLimitHeaders(ctx.limiter, ctx.options) });
	}
	const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
	if (!match || match[1].trim() !== ctx.options.apiKey) {
		return jsonReply(401, shapeError(plainError('401', 'Invalid or missing API key'), ctx.options));
	}
	return undefined;
}

export function handleCreate(ctx: ApiContext, raw: Buffer): { reply: Reply; taskId?: string } {
	let body: unknown;
	try {
		body = raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
	} catch {
		return { reply: rejectCreate(ctx, taskError(CODE.invalidParameter, 'request body is not valid JSON')) };
	}
	const unwrapped = unwrapCreate(body, ctx.options.acceptFormats);
	if (!unwrapped.ok) return { reply: rejectCreate(ctx, unwrapped.error) };
	const validation = validateCreate(unwrapped.fields);
	if (!validation.ok) return { reply: rejectCreate(ctx, validation.error) };
	const task = ctx.tasks.create(validation.params);
	const state = ctx.tasks.state(task.id, task.createdAt) ?? { status: 'pending' as const };
	const view = { id: task.id, createdAt: task.createdAt, params: task.params, state, baseUrl: ctx.baseUrl };
	return { reply: jsonReply(200, shapeSuccess(taskBody(view, ctx.options), ctx.options)), taskId: task.id };
}

function rejectCreate(ctx: ApiContext, error: ReturnType<typeof taskError>): Reply {
	return jsonReply(400, shapeError(createErrorBody(error, ctx.options), ctx.options));
}

export function handleStatus(ctx: ApiContext, taskId: string): Reply {
	const state = ctx.tasks.state(taskId);
	const createdAt = ctx.tasks.createdAt(taskId);
	const params = ctx.tasks.params(taskId);
	if (!state || createdAt === undefined || !params) {
		// The node's credential test relies on this: 404 means the key was accepted.
		return jsonReply(404, shapeError(plainError('404', 'Task not found'), ctx.options));
	}
	const view = { id: taskId, createdAt, params, state, baseUrl: ctx.baseUrl };
	return jsonReply(200, shapeSuccess(taskBody(view, ctx.options), ctx.options));
}

/** Stands in for a public CDN: no auth, plain bytes. */
export function handleDownload(ctx: ApiContext, taskId: string, jobId: string): Reply {
	const bytes = ctx.images.get(downloadKey(taskId, jobId));
	if (!bytes) return jsonReply(404, plainError('404', 'Image not found'));
	return { status: 200, bytes, contentType: 'image/jpeg' };
}

/**
 * `endless/<bytes>.jpg` (with Content-Length) and `endless-chunked/<bytes>.jpg` (without): huge
 * inputs, streamed. `endless-stalled/<bytes>.jpg` sends its first chunk and then nothing more.
 */
const ENDLESS = /^endless(-chunked|-stalled)?\/(\d+)\.jpg$/;

export async function handleFixture(name: string): Promise<Reply> {
	const endless = ENDLESS.exec(name);
	if (endless) return { status: 200, streamBytes: Number(endless[2]), chunked: endless[1] === '-chunked', stall: endless[1] === '-stalled' };
	const file = await loadFixture(name);
	if (!file) return jsonReply(404, plainError('404', `No fixture '${name}'`));
	return { status: 200, bytes: file.bytes, contentType: file.contentType };
}

export function handleUnknown(methodNotAllowed: boolean): Reply {
	return methodNotAllowed
		? jsonReply(405, plainError('405', 'Method not allowed'))
		: jsonReply(404, plainError('404', 'Not found'));
}
