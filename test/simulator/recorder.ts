import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { readBody, decodeForRecord } from './httpIo';

/** One request as it arrived at the recorder. */
export interface ArrivedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body?: unknown;
}

export interface RecorderReply {
	status: number;
	contentType?: string;
	body?: Buffer | string;
}

export interface RecorderHandle {
	/** http://127.0.0.1:<port>; the same listener is also reachable as http://localhost:<port>. */
	readonly url: string;
	readonly port: number;
	readonly requests: ArrivedRequest[];
	/** Every request that carried an Authorization header (a leaked key shows up here). */
	withAuthorization(): ArrivedRequest[];
	setReply(reply: RecorderReply): void;
	reset(): void;
	close(): Promise<void>;
}

/**
 * A second listener on another port: the "other host" a redirect points to. It records every
 * request with its headers, so a test can assert the API key never arrived there.
 */
export async function startRecorder(initial: RecorderReply = { status: 200, contentType: 'application/json', body: '{"recorded":true}' }): Promise<RecorderHandle> {
	let reply = initial;
	let requests: ArrivedRequest[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		void readBody(req).then((raw) => {
			const body = decodeForRecord(raw);
			requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, ...(body === undefined ? {} : { body }) });
			const payload = typeof reply.body === 'string' ? Buffer.from(reply.body) : (reply.body ?? Buffer.alloc(0));
			res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/octet-stream', 'Content-Length': String(payload.length) });
			res.end(payload);
		}, () => res.destroy());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		get requests() {
			return requests;
		},
		withAuthorization: () => requests.filter((request) => request.headers.authorization !== undefined),
		setReply: (next) => {
			reply = next;
		},
		reset: () => {
			requests = [];
		},
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}
