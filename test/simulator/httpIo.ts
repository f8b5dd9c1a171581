import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler decides; written separately so a fault can compute it and then throw it away. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	json?: unknown;
	bytes?: Buffer;
	contentType?: string;
	/** A body of this many bytes, streamed (a JPEG start, then zeros) instead of held in memory. */
	streamBytes?: number;
	/** With streamBytes: send no Content-Length (chunked), so only reading tells the size. */
	chunked?: boolean;
	/** With streamBytes: send the first chunk, then nothing more (a body that stalls mid-way). */
	stall?: boolean;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let length = 0;
		let ended = false;
		req.on('data', (chunk: Buffer) => {
			length += chunk.length;
			if (length <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => {
			ended = true;
			resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
		req.on('close', () => {
			if (!ended) reject(new Error('request closed before its body ended'));
		});
	});
}

/** JSON when it parses, the text otherwise: recorded bodies should show what the client really sent. */
export function decodeForRecord(raw: Buffer): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
	return { status, json, headers };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
	if (res.headersSent || res.destroyed) return;
	if (reply.streamBytes !== undefined) return streamReply(res, reply.streamBytes, reply.chunked === true, reply.stall === true);
	const payload = reply.bytes ?? Buffer.from(JSON.stringify(reply.json ?? null));
	res.writeHead(reply.status, {
		...reply.headers,
		'Content-Type': reply.bytes ? (reply.contentType ?? 'application/octet-stream') : 'application/json',
		'Content-Length': String(payload.length),
	});
	res.end(payload);
}

/** Answers with the exact bytes given, e.g. deliberately broken JSON. */
export function writeRaw(res: ServerResponse, status: number, contentType: string, text: string): void {
	if (res.headersSent || res.destroyed) return;
	const payload = Buffer.from(text);
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(payload.length) });
	res.end(payload);
}

const STREAM_CHUNK = Buffer.alloc(64 * 1024);
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

/** A huge image body written as the client reads it, never allocated whole; stops when the client goes (or, stalling, after one chunk). */
function streamReply(res: ServerResponse, total: number, chunked: boolean, stall: boolean): void {
	res.writeHead(200, { 'Content-Type': 'image/jpeg', ...(chunked ? {} : { 'Content-Length': String(total) }) });
	let sent = 0;
	const pump = (): void => {
		while (sent < total && !res.destroyed) {
			const size = Math.min(STREAM_CHUNK.length, total - sent);
			const chunk = sent === 0 ? Buffer.concat([JPEG_START, STREAM_CHUNK]).subarray(0, size) : STREAM_CHUNK.subarray(0, size);
			sent += size;
			if (stall) return void res.write(chunk);
			if (!res.write(chunk)) return void res.once('drain', pump);
		}
		if (sent >= total) res.end();
	};
	pump();
}
