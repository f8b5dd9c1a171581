/**
 * A loopback stand-in for the API's address that passes every request on to the real one and keeps
 * a copy of each exchange, with the key removed, for the live check's report. The node is pointed
 * at it (a custom endpoint), so what it records is exactly what the node sent and got back.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Exchange {
	method: string;
	path: string;
	requestBody: string;
	status: number;
	contentType: string;
	answer: string;
}

export interface RecordingProxy {
	url: string;
	exchanges: Exchange[];
	close(): Promise<void>;
}

const SHOWN_CHARACTERS = 2_000;

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** The key (as sent, and percent-encoded) never reaches the report. */
export function withoutKey(text: string, apiKey: string): string {
	return [apiKey, encodeURIComponent(apiKey)].reduce((scrubbed, secret) => scrubbed.split(secret).join('[key removed]'), text);
}

export async function startRecordingProxy(upstream: string, apiKey: string): Promise<RecordingProxy> {
	const exchanges: Exchange[] = [];
	const base = upstream.replace(/\/+$/, '');
	const server: Server = createServer((request, response) => {
		void (async () => {
			const body = await readBody(request);
			const headers = Object.fromEntries(
				Object.entries(request.headers).filter(([name, value]) => typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)),
			) as Record<string, string>;
			const exchange: Exchange = {
				method: request.method ?? 'GET',
				path: request.url ?? '/',
				requestBody: withoutKey(body.toString('utf8'), apiKey).slice(0, SHOWN_CHARACTERS),
				status: 0,
				contentType: '',
				answer: '',
			};
			exchanges.push(exchange);
			try {
				const answer = await fetch(`${base}${exchange.path}`, {
					method: exchange.method,
					headers,
					body: body.length > 0 ? body : undefined,
					redirect: 'manual',
					signal: AbortSignal.timeout(60_000),
				});
				const bytes = Buffer.from(await answer.arrayBuffer());
				exchange.status = answer.status;
				exchange.contentType = answer.headers.get('content-type') ?? '';
				exchange.answer = withoutKey(bytes.toString('utf8'), apiKey).slice(0, SHOWN_CHARACTERS);
				const passed: Record<string, string> = {};
				answer.headers.forEach((value, name) => {
					if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) passed[name] = value;
				});
				response.writeHead(answer.status, passed);
				response.end(bytes);
			} catch (error) {
				exchange.answer = `(no answer: ${error instanceof Error ? error.message : String(error)})`;
				response.destroy();
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		exchanges,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
