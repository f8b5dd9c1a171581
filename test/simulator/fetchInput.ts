import http from 'node:http';
import https from 'node:https';

export type FetchResult =
	| { ok: true; bytes: Buffer; truncated: boolean }
	| { ok: false; detail: string };

export interface FetchLimits {
	maxBytes: number;
	timeoutMs: number;
	maxRedirects: number;
	signal?: AbortSignal;
}

/**
 * A plain GET of the input image, as the real service would do it: no auth, redirects followed.
 * Reading stops one byte past maxBytes, so an oversized input cannot eat memory.
 */
export function fetchInput(url: string, limits: FetchLimits): Promise<FetchResult> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => finish({ ok: false, detail: `timed out after ${limits.timeoutMs} ms fetching image_input` }), limits.timeoutMs);
		let current: http.ClientRequest | undefined;
		let done = false;

		function finish(result: FetchResult): void {
			if (done) return;
			done = true;
			clearTimeout(timer);
			current?.destroy();
			resolve(result);
		}

		function get(target: string, redirectsLeft: number): void {
			let parsed: URL;
			try {
				parsed = new URL(target);
			} catch {
				return finish({ ok: false, detail: `invalid redirect target '${target}'` });
			}
			const client = parsed.protocol === 'https:' ? https : http;
			// agent:false: no pooled keep-alive sockets that would outlive the simulator.
			current = client.get(parsed, { agent: false, signal: limits.signal }, (res) => {
				const status = res.statusCode ?? 0;
				if (status >= 300 && status < 400 && res.headers.location && redirectsLeft > 0) {
					res.resume();
					return get(new URL(res.headers.location, parsed).toString(), redirectsLeft - 1);
				}
				if (status < 200 || status >= 300) {
					res.resume();
					return finish({ ok: false, detail: `image_input answered HTTP ${status}` });
				}
				collect(res);
			});
			current.on('error', (error) => finish({ ok: false, detail: `could not fetch image_input (${error.message})` }));
		}

		function collect(res: http.IncomingMessage): void {
			const chunks: Buffer[] = [];
			let length = 0;
			res.on('data', (chunk: Buffer) => {
				chunks.push(chunk);
				length += chunk.length;
				if (length > limits.maxBytes) finish({ ok: true, bytes: Buffer.concat(chunks), truncated: true });
			});
			res.on('end', () => finish({ ok: true, bytes: Buffer.concat(chunks), truncated: false }));
			res.on('error', (error) => finish({ ok: false, detail: `could not read image_input (${error.message})` }));
		}

		get(url, limits.maxRedirects);
	});
}
