// Records what Bull announces on Redis pub/sub while a queue-mode test runs: which jobs it found
// stalled (lock lapsed, moved back to wait), which it failed, and when. A plain RESP client on a
// socket, so the test needs no Redis library.
import { createConnection, type Socket } from 'node:net';

export interface BullEvent {
	at: number;
	/** The channel's last part: 'stalled@' (moved back to wait), 'failed', 'completed', 'progress', … */
	event: string;
	message: string;
}

export interface BullEventLog {
	events(): BullEvent[];
	close(): void;
}

/** Bull's channels for n8n's queue: `<prefix>:jobs:<event>`. */
const CHANNELS = 'bull:jobs:*';

/** Parses one RESP value at `offset`; undefined when the buffer does not hold all of it yet. */
function parse(buffer: Buffer, offset: number): { value: unknown; next: number } | undefined {
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd < 0) return undefined;
	const type = String.fromCharCode(buffer[offset]);
	const head = buffer.toString('utf8', offset + 1, lineEnd);
	const afterLine = lineEnd + 2;
	if (type === '+' || type === '-' || type === ':') return { value: head, next: afterLine };
	if (type === '$') {
		const length = Number(head);
		if (length < 0) return { value: null, next: afterLine };
		if (buffer.length < afterLine + length + 2) return undefined;
		return { value: buffer.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
	}
	if (type === '*') {
		const items: unknown[] = [];
		let next = afterLine;
		for (let i = 0; i < Number(head); i++) {
			const item = parse(buffer, next);
			if (!item) return undefined;
			items.push(item.value);
			next = item.next;
		}
		return { value: items, next };
	}
	throw new Error(`unexpected RESP type ${type}`);
}

export async function recordBullEvents(host: string, port: number): Promise<BullEventLog> {
	const events: BullEvent[] = [];
	const socket: Socket = createConnection({ host, port });
	let pending = Buffer.alloc(0);
	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.once('connect', () => {
			socket.off('error', reject);
			resolve();
		});
	});
	socket.on('error', () => undefined);
	socket.on('data', (chunk: Buffer) => {
		pending = Buffer.concat([pending, chunk]);
		for (;;) {
			const parsed = parse(pending, 0);
			if (!parsed) return;
			pending = pending.subarray(parsed.next);
			const [kind, , channel, message] = parsed.value as string[];
			if (kind === 'pmessage') events.push({ at: Date.now(), event: channel.split(':').at(-1) ?? channel, message });
		}
	});
	socket.write(`PSUBSCRIBE ${CHANNELS}\r\n`);
	return { events: () => [...events], close: () => socket.destroy() };
}
