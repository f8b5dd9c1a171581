/**
 * A real S3-compatible server on loopback for the staging tests: @20minutes/s3rver, which checks
 * SigV4 signatures (header-signed and presigned, with expiry) against its own key pairs and
 * answers S3's XML errors. Every request is recorded with the way it was signed and its status.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

// The package ships no types; these are the parts used here.
interface S3rverInstance {
	callback(): http.RequestListener;
	configureBuckets(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('@20minutes/s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account') as {
	DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};

export interface S3Request {
	method: string;
	/** Path without the query. */
	path: string;
	signedBy: 'header' | 'query' | 'none';
	/** 0 when the client closed the connection before the answer. */
	status: number;
	/** Headers as received (for the secret checks). */
	headers: http.IncomingHttpHeaders;
	url: string;
}

export interface S3ServerHandle {
	/** Endpoint for the credential (path-style). */
	url: string;
	bucket: string;
	accessKeyId: string;
	secretAccessKey: string;
	requests: S3Request[];
	/** Keys of the objects in the bucket now. */
	objectKeys(): Promise<string[]>;
	objectBytes(key: string): Promise<Buffer>;
	/**
	 * Answers every request of this method with an S3 error instead of serving it: by default 403
	 * AccessDenied, as a key without that permission gets.
	 */
	deny(method: string | undefined, status?: number, code?: string, message?: string): void;
	/**
	 * Serves requests of this method as usual (a PUT stores its object) but holds each answer for
	 * `ms`: a client whose timeout is shorter gives up on a request the server has carried out.
	 */
	delayAnswers(method: string | undefined, ms?: number): void;
	/**
	 * Serves requests of this method ('*': all) as usual but sends each answer's body one byte per
	 * `intervalMs`, for `bytes` bytes (Infinity: never ends): a client without a wall-clock limit waits it out.
	 */
	trickleAnswers(method: string | undefined, intervalMs?: number, bytes?: number): void;
	/** Forgets the recorded requests and removes every object. */
	reset(): Promise<void>;
	close(): Promise<void>;
}

const OBJECT_SUFFIX = '._S3rver_object';

async function walk(dir: string): Promise<string[]> {
	const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
	const files: string[] = [];
	for (const entry of entries) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) files.push(...(await walk(full)));
		else files.push(full);
	}
	return files;
}

let keyCounter = 0;

export async function startS3Server(options: { bucket?: string } = {}): Promise<S3ServerHandle> {
	const bucket = options.bucket ?? 'spark-staging';
	const directory = await fs.mkdtemp(path.join(os.tmpdir(), 's3-staging-'));
	// A key pair of this test's own (the server's registry is per process).
	const accessKeyId = `STAGINGKEY${process.pid}X${++keyCounter}`;
	const secretAccessKey = `staging/secret+${Math.random().toString(36).slice(2)}`;
	DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);

	const s3 = new S3rver({
		directory,
		silent: true,
		vhostBuckets: false,
		allowMismatchedSignatures: false,
		configureBuckets: [{ name: bucket }],
	});
	await s3.configureBuckets();
	const handler = s3.callback();
	const requests: S3Request[] = [];
	let denied: { method?: string; status: number; code: string; message: string } = { status: 403, code: 'AccessDenied', message: 'Refused by the test' };
	let delayed: { method?: string; ms: number } = { ms: 0 };
	let trickled: { method?: string; intervalMs: number; bytes: number } = { intervalMs: 500, bytes: 0 };
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://loopback');
		const signedBy = req.headers.authorization ? 'header' : url.searchParams.has('X-Amz-Signature') ? 'query' : 'none';
		const record = (status: number) => requests.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), signedBy, status, headers: req.headers, url: req.url ?? '' });
		res.on('finish', () => record(res.statusCode));
		// A client that gave up first: recorded with status 0 (the server may have done the work).
		res.on('close', () => {
			if (!res.writableFinished) record(0);
		});
		if (req.method === denied.method) {
			req.resume();
			// A redirect answer names the right endpoint, as S3 does for a bucket in another region.
			res.writeHead(denied.status, { 'content-type': 'application/xml', location: 'http://127.0.0.1:9/elsewhere' });
			res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${denied.code}</Code><Message>${denied.message}</Message></Error>`);
			return;
		}
		if (req.method === delayed.method) {
			const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
			res.end = ((...args: unknown[]) => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					if (!res.destroyed) end(...args);
				}, delayed.ms);
				timers.add(timer);
				return res;
			}) as typeof res.end;
		}
		if (trickled.method === '*' || req.method === trickled.method) {
			const { intervalMs, bytes } = trickled;
			res.end = (() => {
				res.removeHeader('content-length');
				let sent = 0;
				const timer = setInterval(() => {
					if (res.destroyed || sent >= bytes) {
						clearInterval(timer);
						timers.delete(timer);
						if (!res.destroyed) res.end();
						return;
					}
					res.write(' ');
					sent++;
				}, intervalMs);
				timers.add(timer);
				res.end = http.ServerResponse.prototype.end.bind(res) as typeof res.end;
				return res;
			}) as typeof res.end;
		}
		handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		bucket,
		accessKeyId,
		secretAccessKey,
		requests,
		async objectKeys() {
			const root = path.join(directory, bucket);
			return (await walk(root))
				.filter((file) => file.endsWith(OBJECT_SUFFIX))
				.map((file) => path.relative(root, file).slice(0, -OBJECT_SUFFIX.length).split(path.sep).join('/'));
		},
		async objectBytes(key) {
			return await fs.readFile(path.join(directory, bucket, ...key.split('/')) + OBJECT_SUFFIX);
		},
		deny(method, status = 403, code = 'AccessDenied', message = 'Refused by the test') {
			denied = { method, status, code, message };
		},
		delayAnswers(method, ms = 0) {
			delayed = { method, ms };
		},
		trickleAnswers(method, intervalMs = 500, bytes = Infinity) {
			trickled = { method, intervalMs, bytes };
		},
		async reset() {
			requests.length = 0;
			denied = { status: 403, code: 'AccessDenied', message: 'Refused by the test' };
			delayed = { ms: 0 };
			trickled = { intervalMs: 500, bytes: 0 };
			const root = path.join(directory, bucket);
			const entries = await fs.readdir(root);
			await Promise.all(entries.map((entry) => fs.rm(path.join(root, entry), { recursive: true, force: true })));
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await fs.rm(directory, { recursive: true, force: true });
		},
	};
}

/** The staging credential's fields for this server (path-style, prefix spark-portrait/), with overrides. */
export function stagingCredentialOf(s3: S3ServerHandle, overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		endpoint: s3.url,
		region: 'us-east-1',
		bucket: s3.bucket,
		accessKeyId: s3.accessKeyId,
		secretAccessKey: s3.secretAccessKey,
		keyPrefix: 'spark-portrait/',
		pathStyle: true,
		...overrides,
	};
}
