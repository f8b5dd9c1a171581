/**
 * The staging bucket's client: PUT and DELETE of one object, and presigned GET URLs. It sends
 * through whatever `S3Send` it is given; in an execution that is n8n's
 * httpRequestWithAuthentication with the staging credential, whose `authenticate` signs each
 * request (SigV4). Presigned links are made here, from the same credential: they are URLs, not
 * requests. Never the Spark credential: the Spark key never reaches the bucket.
 */
import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { parseS3Error } from './s3Error';
import { presignUrl } from './sigv4';
import { objectUrl, resolveStagingTarget, type StagingCredentialData, type StagingTarget } from './bucketTarget';
import type { Clock } from '../transport/clock';
import { errorReason, StagingHttpError, StagingNetworkError, type StagingOperation } from '../errors/failures';
import { SecretScrubber } from '../transport/redact';
import { networkFailure, withRetries, type RetryPolicy } from '../transport/retry';

export const STAGING_CREDENTIAL_NAME = 'sparkPortraitS3StagingApi';

/** One object request, addressed by its key: the credential resolves it to the bucket and signs it. */
export interface S3Request {
	method: 'PUT' | 'DELETE';
	key: string;
	headers: Record<string, string>;
	body?: Buffer;
}

export interface S3Response {
	statusCode: number;
	body?: Buffer | string;
}

/** One HTTP exchange; resolves with any status, rejects on network failure. */
export type S3Send = (request: S3Request, signal?: AbortSignal) => Promise<S3Response>;



export interface StagingSettings {
	clock: Clock;
	retry: RetryPolicy;
}

const SERVICE = 's3';

export class StagingClient {
	/** The bucket's answers lose the secret (and the Spark key never gets here) before a message is made of them. */
	private readonly scrubber: SecretScrubber;

	constructor(
		private readonly sendRequest: S3Send,
		readonly target: StagingTarget,
		private readonly settings: StagingSettings,
	) {
		this.scrubber = new SecretScrubber([target.keys.secretAccessKey]);
	}

	/** The code and message of an S3 error answer, scrubbed of the secret. */
	private errorInfo(body: S3Response['body']): { code?: string; message?: string } {
		// Scrubbed whole before its elements are cut out of it: a secret cut in half is no longer found.
		return parseS3Error(this.scrubber.text(Buffer.isBuffer(body) ? body.toString('utf8') : body ?? ''));
	}

	async putObject(key: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
		await this.send('upload', 'PUT', key, { 'content-type': contentType }, body, signal);
	}

	/** Runs after the task has ended or the run was cancelled: no cancel signal, the request timeout bounds it. */
	async deleteObject(key: string): Promise<void> {
		await this.send('delete', 'DELETE', key, {}, undefined);
	}

	/** A GET URL for one object that stops working after `expiresSeconds`. */
	presignGet(key: string, expiresSeconds: number): string {
		const { keys, region } = this.target;
		return presignUrl('GET', objectUrl(this.target, key), keys, { region, service: SERVICE }, new Date(this.settings.clock.now()), expiresSeconds);
	}

	private async send(
		operation: StagingOperation,
		method: S3Request['method'],
		key: string,
		headers: Record<string, string>,
		body: Buffer | undefined,
		signal?: AbortSignal,
	): Promise<void> {
		const { clock, retry } = this.settings;
		await withRetries<void>({ kind: 'stage', policy: retry, clock, signal }, async () => {
			const sent = await this.sendRequest({ method, key, headers, body }, signal).then((response) => ({ response }), (error: unknown) => ({ error }));
			if ('error' in sent) {
				if (signal?.aborted) throw sent.error;
				const reason = errorReason(sent.error);
				return networkFailure(reason, (attempts) => new StagingNetworkError(operation, reason, attempts));
			}
			const { statusCode } = sent.response;
			// DELETE of a key that is already gone answers 204 (or 404 on some services): gone is gone.
			if ((statusCode >= 200 && statusCode < 300) || (method === 'DELETE' && statusCode === 404)) return { ok: true, value: undefined };
			const info = this.errorInfo(sent.response.body);
			return {
				ok: false,
				outcome: { kind: 'response', statusCode },
				reason: `HTTP ${statusCode}`,
				giveUp: (attempts) => {
					throw new StagingHttpError(operation, statusCode, info.code, info.message, attempts, this.target.keyPrefix);
				},
			};
		});
	}
}

function asBytes(body: unknown): Buffer | string | undefined {
	if (Buffer.isBuffer(body) || typeof body === 'string') return body;
	return body instanceof ArrayBuffer ? Buffer.from(body) : undefined;
}

/**
 * Sends through n8n's httpRequestWithAuthentication: the staging credential's `authenticate`
 * signs the request and keeps it inside the bucket and its Key Prefix; redirects are not followed
 * (they would carry the signature elsewhere). n8n gives the request the cancel signal of the
 * context it is called on, so it is called on one that answers with this request's own signal:
 * a batch stop can cut an upload short, and a cleanup DELETE (no signal) outlives a cancelled
 * execution.
 */
function authenticatedSender(ctx: IExecuteFunctions, timeoutMs: number): S3Send {
	return async (request, signal) => {
		const context = Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as IExecuteFunctions;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `/${request.key}`,
			headers: request.headers,
			body: request.body,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
		};
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(context, STAGING_CREDENTIAL_NAME, options)) as IN8nHttpFullResponse;
		return { statusCode: response.statusCode, body: asBytes(response.body) };
	};
}

async function createStagingClient(ctx: IExecuteFunctions, timeoutMs: number, settings: StagingSettings): Promise<StagingClient> {
	const data = (await ctx.getCredentials(STAGING_CREDENTIAL_NAME)) as StagingCredentialData;
	return new StagingClient(authenticatedSender(ctx, timeoutMs), resolveStagingTarget(data), settings);
}

/** The run's staging client, made on first use: only binary input reads the staging credential. */
export function stagingClientOnDemand(ctx: IExecuteFunctions, timeoutMs: number, settings: StagingSettings): () => Promise<StagingClient> {
	let client: Promise<StagingClient> | undefined;
	return async () => await (client ??= createStagingClient(ctx, timeoutMs, settings));
}
