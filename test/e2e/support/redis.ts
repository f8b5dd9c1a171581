// A throwaway Redis server from the machine's Debian package, on a free loopback port, nothing saved.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

import { startDaemon, waitUntilReady, type Daemon } from './daemon';
import { freePort } from './n8n-env';

export interface RedisServer {
	host: string;
	port: number;
	/** The server process (its output, whether it has exited). */
	daemon: Daemon;
	stop(): Promise<void>;
}

export interface RedisOptions {
	/** Working folder; nothing is written there since persistence is off. */
	folder: string;
	logFile?: string;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** Sends PING and resolves whether PONG came back. */
function ping(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host, port });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

export async function startRedis(options: RedisOptions): Promise<RedisServer> {
	if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} not found: run \`bash scripts/install-queue-servers.sh\``);
	const host = '127.0.0.1';
	const port = await freePort();
	const server = startDaemon({
		name: 'redis',
		command: REDIS_SERVER,
		args: ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', options.folder],
		cwd: options.folder,
		env: { PATH: process.env.PATH ?? '' },
		logFile: options.logFile,
	});
	try {
		await waitUntilReady(server, () => ping(host, port), 30_000);
	} catch (error) {
		await server.stop('SIGKILL');
		throw error;
	}
	return { host, port, daemon: server, stop: () => server.stop('SIGTERM', 10_000) };
}
