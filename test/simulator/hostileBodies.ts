import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';

import type { Reply } from './httpIo';
import type { Sleeper } from './sleeper';

/** The bytes a reply would carry, computed whole (fine for JSON and the small fixture images). */
function replyBytes(reply: Reply): { bytes: Buffer; contentType: string } {
	if (reply.bytes) return { bytes: reply.bytes, contentType: reply.contentType ?? 'application/octet-stream' };
	return { bytes: Buffer.from(JSON.stringify(reply.json ?? null)), contentType: 'application/json' };
}

/**
 * A reply whose headers come at once and whose body then arrives one byte every `intervalMs`:
 * the socket is never silent long enough for an idle timeout. Stops when the client goes.
 */
export async function trickleReply(res: ServerResponse, reply: Reply, intervalMs: number, sleeper: Sleeper): Promise<void> {
	const { bytes, contentType } = replyBytes(reply);
	res.writeHead(reply.status, { ...reply.headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
	for (const byte of bytes) {
		if (res.destroyed) return;
		res.write(Buffer.from([byte]));
		if (!(await sleeper.sleep(intervalMs))) return;
	}
	res.end();
}

const FILLER = Buffer.alloc(64 * 1024, 0x30);

/**
 * A gzip body that inflates to about `inflatedBytes`: a JSON reply gains a padding field first (it
 * stays valid JSON), a binary reply is followed by filler. Compressed as it is written, so
 * neither side of the simulator ever holds it whole; about 1/1000 of its size goes over the wire.
 */
export function gzipBombReply(res: ServerResponse, reply: Reply, inflatedBytes: number): void {
	const { bytes, contentType } = replyBytes(reply);
	const isJson = !reply.bytes;
	res.writeHead(reply.status, { ...reply.headers, 'Content-Type': contentType, 'Content-Encoding': 'gzip' });
	const gzip = createGzip({ level: 9 });
	gzip.pipe(res);
	res.on('close', () => gzip.destroy());
	const head = isJson ? Buffer.from('{"padding":"') : bytes;
	const tail = isJson ? Buffer.from(`",${bytes.toString('utf8').slice(1)}`) : Buffer.alloc(0);
	let left = Math.max(0, inflatedBytes - head.length - tail.length);
	gzip.write(head);
	const pump = (): void => {
		while (left > 0 && !res.destroyed) {
			const chunk = FILLER.subarray(0, Math.min(FILLER.length, left));
			left -= chunk.length;
			if (!gzip.write(chunk)) return void gzip.once('drain', pump);
		}
		if (!res.destroyed) gzip.end(tail);
	};
	pump();
}
