/**
 * Reads a response stream no further than a limit. n8n's helpers buffer a whole body with no size
 * limit, so a huge input URL would cost its full size in memory; streamed and capped, it costs at
 * most the limit plus one chunk, and a Content-Length over the limit is refused before any read.
 */
export interface CappedBody {
	/** At most `limit + 1` bytes. */
	data: Buffer;
	/** False when the body is larger than the limit and reading stopped. */
	complete: boolean;
	/** The size the server announced (Content-Length), when it did. */
	declaredBytes?: number;
}

interface ReadableBody extends AsyncIterable<unknown> {
	destroy(): void;
}

function isReadable(body: unknown): body is ReadableBody {
	return typeof body === 'object' && body !== null && Symbol.asyncIterator in body && typeof (body as ReadableBody).destroy === 'function';
}

function declaredLength(header: unknown): number | undefined {
	const text = Array.isArray(header) ? header[0] : header;
	const number = typeof text === 'string' && /^\d+$/.test(text.trim()) ? Number(text) : undefined;
	return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
}

/** Reads `body` (a stream, or bytes already in memory) up to `limit + 1` bytes, then closes it. */
export async function readCapped(body: unknown, contentLength: unknown, limit: number): Promise<CappedBody> {
	const declaredBytes = declaredLength(contentLength);
	if (!isReadable(body)) {
		const data = body === undefined || body === null ? Buffer.alloc(0) : toBuffer(body);
		return { data: data.subarray(0, limit + 1), complete: data.length <= limit, declaredBytes };
	}
	if (declaredBytes !== undefined && declaredBytes > limit) {
		body.destroy();
		return { data: Buffer.alloc(0), complete: false, declaredBytes };
	}
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of body) {
			const bytes = toBuffer(chunk);
			chunks.push(bytes);
			length += bytes.length;
			if (length > limit) return { data: Buffer.concat(chunks).subarray(0, limit + 1), complete: false, declaredBytes };
		}
	} finally {
		body.destroy();
	}
	return { data: Buffer.concat(chunks), complete: true, declaredBytes };
}
