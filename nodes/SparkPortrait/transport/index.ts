/**
 * The one way the node talks HTTP. API calls go through n8n's httpRequestWithAuthentication (the
 * credential adds the Bearer header) and follow no redirect off the API's origin (redirects.ts);
 * result downloads and the input image go through plain httpRequest, so the key never reaches
 * another host. Every request has its own timeout and follows the retry rules in retry.ts.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { resolveEndpoints, type SparkCredentialData, type SparkEndpoints } from '../api/endpoints';
import { IMAGE_MAX_BYTES } from '../api/constants';
import { parseTask, UnexpectedResponseError } from '../api/parse';
import type { CreateTaskBody, SparkTask } from '../api/types';
import { abandonOnAbort, type Clock } from './clock';
import { errorReason, SparkHttpError, SparkNetworkError, SparkRedirectError } from './errors';
import { readCapped, type CappedBody } from './cappedBody';
import { originOf, redirectTarget, refuseRedirect } from './redirects';
import { networkFailure, parseRetryAfter, withRetries, type RequestKind, type RetryPolicy } from './retry';

export const CREDENTIAL_NAME = 'sparkPortraitVtrixApi';

export interface TransportSettings {
	requestTimeoutMs: number;
	retry: RetryPolicy;
	clock: Clock;
}

export interface TaskRead {
	task: SparkTask;
	/** A Retry-After the server sent with the status, to space the next read. */
	retryAfterMs?: number;
}

export interface DownloadedImage {
	data: Buffer;
	mimeType: string;
}

/** Error bodies of downloads arrive as bytes; JSON in them is worth reading for the message. */
function decodeBody(body: unknown): unknown {
	if (!Buffer.isBuffer(body) && !(body instanceof ArrayBuffer)) return body;
	const text = Buffer.from(body as Buffer).toString('utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return { message: text.slice(0, 500) };
	}
}

function isJsonObject(body: unknown): boolean {
	return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

export class SparkClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly endpoints: SparkEndpoints,
		private readonly settings: TransportSettings,
	) {}

	async createTask(body: CreateTaskBody, signal?: AbortSignal): Promise<SparkTask> {
		const response = await this.send('create', {
			method: 'POST',
			url: this.endpoints.createTaskUrl,
			body: body as unknown as IDataObject,
			json: true,
		}, signal);
		return this.parse('create', response.body);
	}

	async readTask(taskId: string, signal?: AbortSignal): Promise<TaskRead> {
		const response = await this.send('status', { method: 'GET', url: this.endpoints.taskStatusUrl(taskId), json: true }, signal);
		return {
			task: this.parse('status', response.body, taskId),
			retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.settings.clock.now()),
		};
	}

	async downloadImage(url: string, signal?: AbortSignal): Promise<DownloadedImage> {
		const response = await this.send('download', { method: 'GET', url, encoding: 'arraybuffer' }, signal);
		const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
		const header = response.headers['content-type'];
		return { data, mimeType: typeof header === 'string' ? header.split(';')[0].trim() : '' };
	}

	/**
	 * The input image (Check Image First), read no further than the API's 5 MB limit plus one byte:
	 * a huge URL costs a few MB, not its size, whatever Max Parallel Tasks is.
	 */
	async fetchInputImage(url: string, signal?: AbortSignal): Promise<CappedBody> {
		const response = await this.send('input', { method: 'GET', url }, signal);
		return response.body as CappedBody;
	}

	private parse(kind: RequestKind, body: unknown, taskId?: string): SparkTask {
		if (!isJsonObject(body)) {
			throw new UnexpectedResponseError(`The Spark API answered the ${kind} request with something that is not JSON`, body);
		}
		return parseTask(body, taskId);
	}

	/** One request with its retries; resolves with a 2xx response or throws a transport error. */
	private async send(kind: RequestKind, options: IHttpRequestOptions, signal?: AbortSignal): Promise<IN8nHttpFullResponse> {
		const { clock, retry } = this.settings;
		return await withRetries<IN8nHttpFullResponse>({ kind, policy: retry, clock, signal }, async () => {
			// A failed request is handled after the promise: its transport error becomes a
			// NodeApiError / NodeOperationError in one place, the router (helpers/errors.ts).
			// Raced against the signal: n8n's authenticated helper swaps our signal for the
			// execution's, so on a deadline or batch stop the request may go on; we stop waiting.
			const sent = await abandonOnAbort(this.requestOnce(kind, options, signal), signal).then(
				(response) => ({ response }),
				(error: unknown) => ({ error }),
			);
			if ('error' in sent) {
				if (sent.error instanceof SparkRedirectError || signal?.aborted) throw sent.error;
				const reason = errorReason(sent.error);
				return networkFailure(reason, (attempts) => new SparkNetworkError(kind, reason, attempts, kind === 'create', options.url));
			}
			const { response } = sent;
			if (response.statusCode >= 200 && response.statusCode < 300) {
				// A 2xx status read whose body is not JSON is as transient as a dropped connection.
				if (kind === 'status' && !isJsonObject(response.body)) {
					return { ok: false, outcome: { kind: 'network' }, reason: 'an answer that is not JSON', giveUp: () => response };
				}
				return { ok: true, value: response };
			}
			return {
				ok: false,
				outcome: { kind: 'response', statusCode: response.statusCode, retryAfterMs: parseRetryAfter(response.headers['retry-after'], clock.now()) },
				reason: `HTTP ${response.statusCode}`,
				giveUp: (attempts) => {
					throw new SparkHttpError(kind, response.statusCode, decodeBody(response.body), attempts, options.url);
				},
			};
		});
	}

	private async requestOnce(kind: RequestKind, options: IHttpRequestOptions, signal?: AbortSignal): Promise<IN8nHttpFullResponse> {
		const request: IHttpRequestOptions = {
			...options,
			timeout: this.settings.requestTimeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: signal,
		};
		switch (kind) {
			case 'download':
				return (await this.ctx.helpers.httpRequest(request)) as IN8nHttpFullResponse;
			case 'input':
				return await this.requestInput(request);
			default:
				return await this.requestWithKey(kind, request);
		}
	}

	/**
	 * A request that carries the API key. n8n's helper is told not to follow redirects (it would
	 * take the key along to any host); a redirect within the request's own origin is followed here,
	 * any other is refused with a SparkRedirectError.
	 */
	private async requestWithKey(kind: RequestKind, request: IHttpRequestOptions): Promise<IN8nHttpFullResponse> {
		const apiOrigin = originOf(request.url);
		let url = request.url;
		for (let hops = 0; ; hops++) {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_NAME, {
				...request,
				url,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			})) as IN8nHttpFullResponse;
			const target = redirectTarget(response, url);
			if (target === undefined) return response;
			const refusal = refuseRedirect(kind, apiOrigin, target, hops);
			if (refusal) throw new SparkRedirectError(kind, response.statusCode, url, target, refusal);
			url = target;
		}
	}

	/** The input image as a stream, read up to the limit; an error answer's body is not read at all. */
	private async requestInput(request: IHttpRequestOptions): Promise<IN8nHttpFullResponse> {
		const response = (await this.ctx.helpers.httpRequest({ ...request, encoding: 'stream' })) as IN8nHttpFullResponse;
		const ok = response.statusCode >= 200 && response.statusCode < 300;
		const body = await readCapped(response.body, response.headers['content-length'], ok ? IMAGE_MAX_BYTES : 0);
		return { ...response, body: ok ? body : undefined };
	}
}

/** A client for this execution: endpoints from the Spark API credential, refused before any request if unusable. */
export async function createSparkClient(ctx: IExecuteFunctions, settings: TransportSettings): Promise<SparkClient> {
	const credentials = (await ctx.getCredentials(CREDENTIAL_NAME)) as SparkCredentialData;
	return new SparkClient(ctx, resolveEndpoints(credentials), settings);
}
