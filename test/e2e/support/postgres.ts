// A throwaway PostgreSQL server from the machine's Debian packages, on a free loopback port.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { runCommand } from './child-process';
import { startDaemon, waitUntilReady, type Daemon } from './daemon';
import { freePort } from './n8n-env';

export interface PostgresServer {
	host: string;
	port: number;
	/** Superuser name; loopback connections need no password (trust). */
	user: string;
	createDatabase(name: string): Promise<void>;
	/** The server process (its output, whether it has exited). */
	daemon: Daemon;
	stop(): Promise<void>;
}

export interface PostgresOptions {
	/** An empty folder for the data, the socket and the log; the caller removes it. */
	folder: string;
	logFile?: string;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const INSTALL_HINT = 'run `bash scripts/install-queue-servers.sh` (Debian packages redis-server and postgresql)';

/** Debian keeps the server binaries out of PATH, one folder per major version: take the newest. */
export function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
	const bin = newest && path.join(root, newest, 'bin');
	if (!bin || !existsSync(path.join(bin, 'postgres'))) throw new Error(`PostgreSQL server not found in ${root}: ${INSTALL_HINT}`);
	return bin;
}

// PostgreSQL refuses to run as root: then it runs as Debian's `postgres` account.
function serverAccount(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/**
 * The server account must reach its folders through the caller's (a mkdtemp folder is 0700 root):
 * ancestors owned by us get the search bit for others, never read or write.
 */
function makeReachable(folder: string): void {
	for (let dir = path.resolve(folder); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const stat = statSync(dir);
		if (stat.uid === process.getuid?.() && (stat.mode & 0o001) === 0) chmodSync(dir, (stat.mode & 0o7777) | 0o011);
	}
}

function ownedFolder(folder: string, account: { uid: number; gid: number } | undefined): string {
	mkdirSync(folder, { recursive: true, mode: 0o700 });
	if (account) chownSync(folder, account.uid, account.gid);
	return folder;
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
	const bin = postgresBinDir();
	const account = serverAccount();
	if (account) makeReachable(options.folder);
	const dataDir = ownedFolder(path.join(options.folder, 'data'), account);
	const socketDir = ownedFolder(path.join(options.folder, 'socket'), account);
	const env = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	const asServer = { ...account, cwd: options.folder, env, timeoutMs: START_TIMEOUT_MS };

	const init = await runCommand(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync'],
		asServer,
	);
	if (init.exitCode !== 0) throw new Error(`initdb failed (exit ${init.exitCode}):\n${init.stdout}\n${init.stderr}`);

	const port = await freePort();
	const host = '127.0.0.1';
	// A test database: durability settings off for speed.
	const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
	const server = startDaemon({
		name: 'postgres',
		command: path.join(bin, 'postgres'),
		args: ['-D', dataDir, '-h', host, '-p', String(port), '-k', socketDir, ...settings.flatMap((s) => ['-c', s])],
		...asServer,
		logFile: options.logFile,
	});
	const psql = (sql: string, database = 'postgres') =>
		runCommand(path.join(bin, 'psql'), ['-h', host, '-p', String(port), '-U', SUPERUSER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], asServer);
	try {
		await waitUntilReady(server, async () => (await psql('select 1')).exitCode === 0, START_TIMEOUT_MS, 300);
	} catch (error) {
		await server.stop('SIGKILL');
		throw error;
	}

	return {
		host,
		port,
		user: SUPERUSER,
		async createDatabase(name) {
			if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name}: lower-case letters, digits, _`);
			const result = await psql(`create database ${name}`);
			if (result.exitCode !== 0) throw new Error(`create database ${name} failed:\n${result.stderr}`);
		},
		daemon: server,
		// SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing waits for clients.
		stop: () => server.stop('SIGINT', 15_000),
	};
}
