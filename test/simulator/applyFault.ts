import { STATUS_CODES, type ServerResponse } from 'node:http';

import { plainError } from './errorCodes';
import { jsonReply, writeRaw, writeReply, type Reply } from './httpIo';
import type { Sleeper } from './sleeper';
import { gzipBombReply, trickleReply } from './hostileBodies';
import type { FaultSpec, ResolvedOptions } from './types';
import { shapeError } from './wireFormat';

export interface FaultIo {
	res: ServerResponse;
	options: ResolvedOptions;
	sleeper: Sleeper;
	/** Whether the route is part of the API (create/status), whose bodies follow the response shape. */
	isApi: boolean;
	/** Handles the request normally (creating the task on create) and returns what it would answer. */
	process(): Promise<Reply>;
	log(note: string): void;
}

/** The body a 200 would start with, cut off: what a client sees when a proxy truncates the answer. */
export const MALFORMED_JSON = '{"id": "task_';

export async function applyFault(fault: FaultSpec, io: FaultIo): Promise<void> {
	if (fault.kind === 'delay') {
		const waited = await io.sleeper.sleep(fault.delayMs ?? 0);
		if (waited) writeReply(io.res, await io.process());
		return;
	}
	if (fault.kind === 'trickle') return await trickleReply(io.res, await io.process(), fault.intervalMs ?? 500, io.sleeper);
	if (fault.kind === 'gzipBomb') return gzipBombReply(io.res, await io.process(), fault.inflatedBytes ?? 200 * 1024 * 1024);
	if (fault.kind === 'extend') return writeReply(io.res, extendedReply(await io.process(), fault.fields ?? {}));
	// process:true = the server did the work, but the client never learns the result.
	if (fault.process) await io.process();
	switch (fault.kind) {
		case 'http':
			writeReply(io.res, faultReply(fault, io));
			return;
		case 'redirect':
			writeReply(io.res, jsonReply(fault.statusCode ?? 302, { moved: fault.location }, { Location: fault.location ?? '/' }));
			return;
		case 'malformed':
			writeRaw(io.res, 200, 'application/json', MALFORMED_JSON);
			return;
		case 'drop':
			io.log('dropped');
			io.res.socket?.destroy();
			return;
		case 'hang':
			// Answered never; close() destroys the socket.
			io.log('hanging');
			return;
	}
}

function faultReply(fault: FaultSpec, io: FaultIo): Reply {
	const status = fault.statusCode ?? 500;
	const headers = fault.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(fault.retryAfterSeconds) };
	if (fault.text !== undefined) return { status, headers, bytes: Buffer.from(fault.text), contentType: 'text/plain' };
	if (fault.body !== undefined) return jsonReply(status, fault.body, headers);
	const body = plainError(String(status), STATUS_CODES[status] ?? 'Injected fault');
	return jsonReply(status, io.isApi ? shapeError(body, io.options) : body, headers);
}

/** The reply with `fields` set in its JSON object, or in its `data` when the answer is enveloped. */
function extendedReply(reply: Reply, fields: Record<string, unknown>): Reply {
	const json = reply.json;
	if (typeof json !== 'object' || json === null || Array.isArray(json)) return reply;
	const body = json as Record<string, unknown>;
	const data = body.data;
	const enveloped = typeof data === 'object' && data !== null && !Array.isArray(data) && !('id' in body);
	return { ...reply, json: enveloped ? { ...body, data: { ...data, ...fields } } : { ...body, ...fields } };
}
