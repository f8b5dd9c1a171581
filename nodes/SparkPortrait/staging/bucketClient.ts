/**
 * The staging bucket's client: presigned GET URLs, and PUT and DELETE of one object through the
 * transport's core as API requests go (a wall-clock limit per try, the Request Timeout; a capped
 * answer; the cancel signal; the retry rules). All with the staging credential, never the Spark
 * one: the Spark key never reaches the bucket.
 */
import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { parseS3Error } from './s3Error';
import { presignUrl } from './sigv4';
import { objectUrl, resolveStagingTarget, type StagingCredentialData, type StagingTarget } from './bucketTarget';
import { readCapped } from '../transport/cappedBody';
import { realClock, startDeadline } from '../transport/clock';
import { HttpCore, receiveOrDiscard, type HttpSettings } from '../transport/http';
import { ERROR_BODY_MAX_BYTES } from '../transport/apiClient';
import { SecretScrubber } from '../transport/redact';
import { StagingHttpError, StagingNetworkError, type StagingOperation } from '../errors/failures';

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
	/** A stream as n8n's helper gives it (read here, capped), or bytes. */
	body?: unknown;
	headers?: Record<string, unknown>;
}

/** One HTTP exchange; resolves with any status, rejects on network failure. */
export type S3Send = (request: S3Request, signal: AbortSignal) => Promise<S3Response>;

export const CLEANUP_MAX_MS = 10_000;

export class StagingClient {
	private readonly core: HttpCore;

	constructor(
		private readonly sendRequest: S3Send,
		readonly target: StagingTarget,
		private readonly settings: HttpSettings,
	) {
		// The bucket's answers lose the secret before a message is made of them.
		this.core = new HttpCore(settings, new SecretScrubber([target.keys.secretAccessKey]));
	}

	async putObject(key: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
		await this.send('upload', { method: 'PUT', key, headers: { 'content-type': contentType }, body }, signal);
	}

	/**
	 * Runs after the task has ended or the run was cancelled, so on a bound of its own, not the run's signal: the
	 * Request Timeout for all its tries, at most CLEANUP_MAX_MS. A key already gone (404 on some services) counts as deleted.
	 */
	async deleteObject(key: string): Promise<void> {
		const limitMs = Math.min(this.settings.requestTimeoutMs, CLEANUP_MAX_MS);
		const bound = startDeadline(realClock, limitMs);
		const request = this.send('delete', { method: 'DELETE', key, headers: {} }, bound.signal);
		const outcome = await request.then(() => undefined, (error: unknown) => ({ error }));
		bound.dispose();
		if (!outcome || (outcome.error instanceof StagingHttpError && outcome.error.statusCode === 404)) return;
		if (bound.expired) throw new StagingNetworkError('delete', `no complete answer within ${Math.round(limitMs / 1000)} s`, 1);
		throw outcome.error;
	}

	presignGet(key: string, expiresSeconds: number): string {
		return presignUrl('GET', objectUrl(this.target, key), this.target.keys, this.target, new Date(this.settings.clock.now()), expiresSeconds);
	}

	private async send(operation: StagingOperation, request: S3Request, signal?: AbortSignal): Promise<void> {
		await this.core.send<Buffer>({
			kind: 'stage',
			once: async (attemptSignal) => {
				const response = await receiveOrDiscard(this.sendRequest(request, attemptSignal), attemptSignal);
				// Only an error answer is read, for its code and message; no answer is read past this.
				const read = await readCapped(response.body, response.headers?.['content-length'], ERROR_BODY_MAX_BYTES, attemptSignal);
				return { statusCode: response.statusCode, headers: {}, body: read.data };
			},
			refused: (answer) => {
				// Scrubbed whole before its code and message are cut out of it.
				const { code, message } = parseS3Error(this.core.scrubber.text(answer.body.toString('utf8')));
				return new StagingHttpError(operation, answer.statusCode, code, message, this.target.keyPrefix);
			},
			unreachable: (reason, attempts) => new StagingNetworkError(operation, reason, attempts),
		}, signal);
	}
}

/**
 * n8n gives a request the cancel signal of the context it is called on, so the helper is called on
 * one that answers with this try's own signal: the Request Timeout or a cancel cut an upload short,
 * and a cleanup DELETE outlives a cancelled execution on its own bound.
 */
function authenticatedSender(ctx: IExecuteFunctions, timeoutMs: number): S3Send {
	return async (request, signal) => {
		const context = Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as IExecuteFunctions;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `/${request.key}`,
			headers: request.headers,
			body: request.body,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
		};
		return (await ctx.helpers.httpRequestWithAuthentication.call(context, STAGING_CREDENTIAL_NAME, options)) as IN8nHttpFullResponse;
	};
}

/** The run's staging client, made on first use: only binary input reads the staging credential. */
export function stagingClientOnDemand(ctx: IExecuteFunctions, settings: HttpSettings): () => Promise<StagingClient> {
	let client: Promise<StagingClient> | undefined;
	const create = async () => {
		const target = resolveStagingTarget((await ctx.getCredentials(STAGING_CREDENTIAL_NAME)) as StagingCredentialData);
		return new StagingClient(authenticatedSender(ctx, settings.requestTimeoutMs), target, settings);
	};
	return async () => await (client ??= create());
}
