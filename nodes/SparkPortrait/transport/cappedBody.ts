/**
 * Reads a response stream no further than a limit, and no longer than its request may take. n8n's
 * helpers buffer a whole body with no size limit (a small gzip body can inflate to hundreds of MB),
 * and their timeout only notices a silent socket (a body trickled a byte at a time never trips
 * it). Streamed, capped and tied to a signal, a body costs at most the limit plus one chunk, a
 * Content-Length over the limit is refused before any read, and an abandoned read is destroyed,
 * which closes its socket.
 */
import { CancelledError } from '../errors/failures';
import { headerText } from './headers';

export interface CappedBody {
	/** The whole body when `complete`; empty otherwise (what was read past the limit is dropped at once). */
	data: Buffer;
	/** False when the body is larger than the limit and reading stopped. */
	complete: boolean;
	/** The size the server announced (Content-Length), when it did. */
	declaredBytes?: number;
}

interface ReadableBody extends AsyncIterable<unknown> {
	destroy(): void;
}

export function isReadable(body: unknown): body is ReadableBody {
	return typeof body === 'object' && body !== null && Symbol.asyncIterator in body && typeof (body as ReadableBody).destroy === 'function';
}

/**
 * Closes a body nobody will read (an error answer, one over its limit, one that arrived after its
 * request was given up), and its socket. n8n 2.x hands the socket's stream over wrapped (axios's
 * `Readable.from` around it), and the wrapper lets go of its source only once it has begun to read
 * it: destroyed unread, it left the socket open, holding what the server sent. So the read starts first.
 */
export function discardBody(body: unknown): void {
	if (!isReadable(body)) return;
	body[Symbol.asyncIterator]().next().catch(() => undefined);
	body.destroy();
}

function declaredLength(header: unknown): number | undefined {
	const text = headerText(header);
	const number = text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
	return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
}

const tooLarge = (declaredBytes: number | undefined): CappedBody => ({ data: Buffer.alloc(0), complete: false, declaredBytes });

/**
 * Reads `body` (a stream, or bytes already in memory) up to `limit` bytes, then closes it. A body whose
 * announced length is in range is read into one buffer of that size, so a large image is not held twice.
 */
export async function readCapped(body: unknown, contentLength: unknown, limit: number, signal?: AbortSignal): Promise<CappedBody> {
	const declaredBytes = declaredLength(contentLength);
	if (!isReadable(body)) {
		const data = body === undefined || body === null ? Buffer.alloc(0) : toBuffer(body);
		return data.length <= limit ? { data, complete: true, declaredBytes } : tooLarge(declaredBytes);
	}
	if ((declaredBytes !== undefined && declaredBytes > limit) || signal?.aborted) {
		discardBody(body);
		if (signal?.aborted) throw new CancelledError();
		return tooLarge(declaredBytes);
	}
	const onAbort = () => body.destroy();
	signal?.addEventListener('abort', onAbort, { once: true });
	// Content-Length counts the bytes on the wire: a compressed body grows past it as it inflates,
	// and is then collected in chunks like a body of unknown length.
	let whole = declaredBytes === undefined ? undefined : Buffer.allocUnsafe(declaredBytes);
	let chunks: Buffer[] = [];
	let length = 0;
	let failure: { error: unknown } | undefined;
	try {
		for await (const chunk of body) {
			const bytes = toBuffer(chunk);
			if (length + bytes.length > limit) {
				chunks = [];
				return tooLarge(declaredBytes);
			}
			if (whole && length + bytes.length > whole.length) {
				chunks = [whole.subarray(0, length)];
				whole = undefined;
			}
			if (whole) bytes.copy(whole, length);
			else chunks.push(bytes);
			length += bytes.length;
		}
	} catch (error) {
		failure = { error };
	} finally {
		signal?.removeEventListener('abort', onAbort);
		body.destroy();
	}
	// A read cut by the signal fails as a cancel, whatever error the destroyed stream gave.
	if (signal?.aborted) throw new CancelledError();
	if (failure) throw failure.error;
	return { data: whole ? whole.subarray(0, length) : Buffer.concat(chunks, length), complete: true, declaredBytes };
}
