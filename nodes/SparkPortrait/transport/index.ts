/**
 * The one way the node talks HTTP. API calls go through n8n's httpRequestWithAuthentication (the
 * credential adds the Bearer header) and follow no redirect off the API's origin (redirects.ts);
 * result downloads and the input image go through plain httpRequest, so the key never reaches
 * another host. Every attempt has one wall-clock limit (Request Timeout) covering its body, every
 * body is read capped (cappedBody.ts) and scrubbed of the key (redact.ts), and failed requests
 * follow the retry rules in retry.ts.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { classifyHost, describeClass, isAlwaysRefused, mayFetch, type AddressClass } from './addressPolicy';
import { resolveEndpoints, vtrixUrlFor, type SparkCredentialData, type SparkEndpoints } from '../api/endpoints';
import { IMAGE_MAX_BYTES } from '../api/constants';
import { API_JSON_MAX_BYTES, ERROR_BODY_MAX_BYTES, MAX_INPUT_REDIRECTS } from '../descriptions/limits';
import { describeErrorReply, parseTask } from '../api/parse';
import { createRequest, formatNames } from '../api/requestFormat';
import type { CreateTaskBody, SparkTask } from '../api/types';
import { abandonOnAbort, realClock, startDeadline, type Clock } from './clock';
import {
	errorReason,
	SparkHttpError,
	SparkInputRefusedError,
	SparkNetworkError,
	SparkRedirectError,
	SparkResponseTooLargeError,
	UnexpectedResponseError,
	type RequestKind,
} from '../errors/failures';
import { discardBody, readCapped, type CappedBody } from './cappedBody';
import { SecretScrubber } from './redact';
import { originOf, redirectTarget, refuseRedirect } from './redirects';
import { budgetFor, PRIORITY, type RequestBudget } from './requestBudget';
import { networkFailure, parseRetryAfter, withRetries, type RetryPolicy } from './retry';

export const CREDENTIAL_NAME = 'sparkPortraitVtrixApi';

export interface TransportSettings {
	requestTimeoutMs: number;
	retry: RetryPolicy;
	clock: Clock;
	/** The process's budget for the API's origin; undefined = each request on its own (no pacing). */
	budget?: RequestBudget;
}

/** How createSparkClient builds the settings: `shareBudget` takes the process's budget for the API's origin. */
export type ClientSettings = Omit<TransportSettings, 'budget'> & { shareBudget: boolean };

export interface TaskRead {
	task: SparkTask;
	/** A Retry-After the server sent with the status, to space the next read. */
	retryAfterMs?: number;
}

export interface DownloadedImage {
	data: Buffer;
	mimeType: string;
}

/** A response whose body has been read (capped) and scrubbed of secrets. */
interface Answer {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON (or its text) for API requests, bytes for downloads, a CappedBody for the input image. */
	body: unknown;
}

/** One attempt ran out of its Request Timeout: no complete answer (headers and body) in time. */
class AttemptTimedOut extends Error {}

function isJsonObject(body: unknown): boolean {
	return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** JSON when it parses, its text otherwise; an error answer's text is kept short for a message. */
function decodeJson(data: Buffer, forError: boolean): unknown {
	if (data.length === 0) return undefined;
	const text = data.toString('utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return forError ? { message: text.slice(0, 500) } : text;
	}
}

/** Waits for the response headers; a response that arrives after its request was given up is closed unread. */
async function receiveOrDiscard(pending: Promise<IN8nHttpFullResponse>, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
	const settled = await abandonOnAbort(pending, signal).then((response) => ({ response }), (error: unknown) => ({ error }));
	if ('error' in settled) {
		pending.then((late) => discardBody(late.body), () => undefined);
		throw settled.error;
	}
	return settled.response;
}

/** n8n 2.x's egress filter (its SSRF protection); absent in 1.x. */
type EgressHelpers = { getSecureEgressFilter?: () => { validateUrl(url: string): Promise<{ ok: boolean }> } };

export class SparkClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly endpoints: SparkEndpoints,
		private readonly settings: TransportSettings,
		/** Removes the API key from every answer as it arrives. */
		private readonly scrubber = new SecretScrubber([]),
	) {}

	/** Scheme, host and port of the API: what its rate limit and its task times belong to. */
	get apiOrigin(): string {
		return originOf(this.endpoints.createTaskUrl);
	}

	async createTask(body: CreateTaskBody, signal?: AbortSignal): Promise<SparkTask> {
		const response = await this.send('create', {
			method: 'POST',
			url: this.endpoints.createTaskUrl,
			body: createRequest(body, this.endpoints.requestFormat) as unknown as IDataObject,
			json: true,
		}, API_JSON_MAX_BYTES, signal);
		return this.parse('create', response.body);
	}

	/** `priority`: where the read waits when the budget is short (PRIORITY.likelyDone goes before PRIORITY.read). */
	async readTask(taskId: string, signal?: AbortSignal, priority: number = PRIORITY.read): Promise<TaskRead> {
		const response = await this.send('status', { method: 'GET', url: this.endpoints.taskStatusUrl(taskId), json: true }, API_JSON_MAX_BYTES, signal, priority);
		return {
			task: this.parse('status', response.body, taskId),
			retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.settings.clock.now()),
		};
	}

	/** A result image, read no further than `maxBytes` (Max Result Size). */
	async downloadImage(url: string, maxBytes: number, signal?: AbortSignal): Promise<DownloadedImage> {
		const response = await this.send('download', { method: 'GET', url }, maxBytes, signal);
		const header = response.headers['content-type'];
		return { data: response.body as Buffer, mimeType: typeof header === 'string' ? header.split(';')[0].trim() : '' };
	}

	/**
	 * The input image (Check Image First), read no further than the API's 5 MB limit: a huge URL
	 * costs a few MB, not its size, whatever Max Parallel Tasks is. Redirects are followed one hop
	 * at a time, each host checked first (api/addressPolicy.ts).
	 */
	async fetchInputImage(url: string, signal?: AbortSignal): Promise<CappedBody> {
		const response = await this.send('input', { method: 'GET', url }, IMAGE_MAX_BYTES, signal);
		return response.body as CappedBody;
	}

	private parse(kind: RequestKind, body: unknown, taskId?: string): SparkTask {
		if (!isJsonObject(body)) {
			throw new UnexpectedResponseError(`The Vtrix API answered the ${kind} request with something that is not JSON`, body);
		}
		return parseTask(body, taskId);
	}

	/** One request with its retries; resolves with a 2xx answer or throws a transport error. */
	private async send(kind: RequestKind, options: IHttpRequestOptions, limit: number, signal?: AbortSignal, priority: number = PRIORITY.create): Promise<Answer> {
		const { clock, retry } = this.settings;
		// Only the API's own requests spend its limit; downloads and input images go elsewhere.
		const budget = kind === 'create' || kind === 'status' ? this.settings.budget : undefined;
		// With a budget, a 429's wait is the budget's (it holds every request of the process), not the loop's.
		const gate = budget ? async () => await budget.take(priority, signal) : undefined;
		return await withRetries<Answer>({ kind, policy: retry, clock, signal, rateLimitsWaitElsewhere: budget !== undefined, gate }, async () => {
			// A failed request is handled after the promise: its transport error becomes a
			// NodeApiError / NodeOperationError in one place, the router (errors/translate.ts).
			const sent = await this.attempt(kind, options, limit, signal).then(
				(answer) => ({ answer }),
				(error: unknown) => ({ error }),
			);
			if ('error' in sent) {
				const final = sent.error instanceof SparkRedirectError || sent.error instanceof SparkResponseTooLargeError || sent.error instanceof SparkInputRefusedError;
				if (final || signal?.aborted) throw sent.error;
				const reason = this.failureReason(kind, sent.error);
				return networkFailure(reason, (attempts) => new SparkNetworkError(kind, reason, attempts, kind === 'create', options.url));
			}
			const { answer } = sent;
			if (budget) {
				budget.observe(answer.statusCode, answer.headers);
				// Each process has a budget of its own; its log says what it was told (queue-mode workers too).
				if (answer.statusCode === 429) this.ctx.logger?.info(`Spark Portrait: ${originOf(options.url)} answered 429; requests from this n8n process wait ${Math.round(budget.pausedForMs)} ms`);
			}
			if (answer.statusCode >= 200 && answer.statusCode < 300) {
				// A 2xx status read whose body is not JSON is as transient as a dropped connection.
				if (kind === 'status' && !isJsonObject(answer.body)) {
					return { ok: false, outcome: { kind: 'network' }, reason: 'an answer that is not JSON', giveUp: () => answer };
				}
				return { ok: true, value: answer };
			}
			return {
				ok: false,
				outcome: { kind: 'response', statusCode: answer.statusCode, retryAfterMs: parseRetryAfter(answer.headers['retry-after'], clock.now()) },
				reason: `HTTP ${answer.statusCode}`,
				giveUp: (attempts) => {
					throw new SparkHttpError({
						requestKind: kind,
						statusCode: answer.statusCode,
						reply: describeErrorReply(answer.body),
						attempts,
						url: options.url,
						formats: kind === 'create' ? formatNames(this.endpoints.requestFormat) : undefined,
						vtrixUrl: kind === 'create' || kind === 'status' ? vtrixUrlFor(kind) : undefined,
					});
				},
			};
		});
	}

	/** Why an attempt failed, in words fit for the user: the Image URL's host learns nothing from them. */
	private failureReason(kind: RequestKind, error: unknown): string {
		const seconds = Math.round(this.settings.requestTimeoutMs / 1000);
		if (error instanceof AttemptTimedOut) return `no complete answer within the Request Timeout (${seconds} s)`;
		// A connection refused, reset or timed out says something about the network behind the
		// Image URL's host; the user only needs to know that it gave no image.
		if (kind === 'input') return 'the host could not be reached or broke off the connection';
		return this.scrubber.text(errorReason(error));
	}

	/**
	 * One attempt under one wall-clock limit, the Request Timeout, that covers connecting, the
	 * headers and reading the body. n8n's own timeout only notices a silent socket, and its
	 * authenticated helper replaces our abort signal with the execution's: the body is therefore
	 * read as a stream here, and destroyed (its socket closed) when the limit or `signal` ends it.
	 */
	private async attempt(kind: RequestKind, options: IHttpRequestOptions, limit: number, signal?: AbortSignal): Promise<Answer> {
		const deadline = startDeadline(realClock, this.settings.requestTimeoutMs, signal);
		const request: IHttpRequestOptions = {
			...options,
			encoding: 'stream',
			timeout: this.settings.requestTimeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: deadline.signal,
		};
		const outcome = await receiveOrDiscard(this.dispatch(kind, request, deadline.signal), deadline.signal)
			.then(async (response) => await this.readAnswer(kind, options.url, response, limit, deadline.signal))
			.then((answer) => ({ answer }), (error: unknown) => ({ error }));
		deadline.dispose();
		if ('answer' in outcome) return outcome.answer;
		if (deadline.expired) throw new AttemptTimedOut();
		throw outcome.error;
	}

	private async dispatch(kind: RequestKind, request: IHttpRequestOptions, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
		switch (kind) {
			case 'download':
				return (await this.ctx.helpers.httpRequest(request)) as IN8nHttpFullResponse;
			case 'input':
				return await this.requestInput(request, signal);
			default:
				return await this.requestWithKey(kind, request, signal);
		}
	}

	/** Reads the body as far as the request kind allows, and removes every secret from what was read. */
	private async readAnswer(kind: RequestKind, url: string, response: IN8nHttpFullResponse, limit: number, signal: AbortSignal): Promise<Answer> {
		const ok = response.statusCode >= 200 && response.statusCode < 300;
		const headers = this.scrubber.value(response.headers ?? {}) as IDataObject;
		const answer = (body: unknown): Answer => ({ statusCode: response.statusCode, headers, body });
		const contentLength = response.headers?.['content-length'];
		if (kind === 'input') {
			// An error answer's body is not read at all: its status says enough.
			if (!ok) return answer(discardBody(response.body));
			return answer(await readCapped(response.body, contentLength, limit, signal));
		}
		const read = await readCapped(response.body, contentLength, ok ? limit : ERROR_BODY_MAX_BYTES, signal);
		if (ok && !read.complete) throw new SparkResponseTooLargeError(kind, limit, url);
		if (kind === 'download' && ok) return answer(read.data);
		return answer(read.complete ? this.scrubber.value(decodeJson(read.data, !ok)) : undefined);
	}

	/**
	 * A request that carries the API key. n8n's helper is told not to follow redirects (it would
	 * take the key along to any host); a redirect within the request's own origin is followed here,
	 * any other is refused with a SparkRedirectError.
	 */
	private async requestWithKey(kind: RequestKind, request: IHttpRequestOptions, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
		const apiOrigin = originOf(request.url);
		let url = request.url;
		for (let hops = 0; ; hops++) {
			const response = await receiveOrDiscard(this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_NAME, {
				...request,
				url,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			}) as Promise<IN8nHttpFullResponse>, signal);
			const target = redirectTarget(response, url);
			if (target === undefined) return response;
			discardBody(response.body);
			const refusal = refuseRedirect(kind, apiOrigin, target, hops);
			if (refusal) throw new SparkRedirectError(kind, response.statusCode, url, this.scrubber.text(target), refusal);
			url = target;
		}
	}

	/**
	 * The Image URL, its redirects followed one hop at a time: every host is checked before it is
	 * fetched, against the node's address rule and n8n's own SSRF protection where it has one.
	 */
	private async requestInput(request: IHttpRequestOptions, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
		const origin = classifyHost(hostnameOf(request.url));
		let url = request.url;
		for (let hops = 0; ; hops++) {
			await this.checkInputHost(url, origin, hops > 0);
			const response = await receiveOrDiscard(this.ctx.helpers.httpRequest({ ...request, url, disableFollowRedirect: true }) as Promise<IN8nHttpFullResponse>, signal);
			const target = redirectTarget(response, url);
			if (target === undefined) return response;
			discardBody(response.body);
			if (hops >= MAX_INPUT_REDIRECTS) throw new SparkInputRefusedError(hostOfUrl(target), `more than ${MAX_INPUT_REDIRECTS} redirects`, true);
			url = target;
		}
	}

	private async checkInputHost(url: string, origin: AddressClass, viaRedirect: boolean): Promise<void> {
		const parsed = URL.canParse(url) ? new URL(url) : undefined;
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
			throw new SparkInputRefusedError(parsed?.protocol ?? url.slice(0, 40), 'not an http:// or https:// URL', viaRedirect);
		}
		const target = classifyHost(parsed.hostname);
		if (!mayFetch(origin, target)) {
			const why = isAlwaysRefused(target) ? describeClass(target) : `${describeClass(target)}, reached from a public Image URL`;
			throw new SparkInputRefusedError(parsed.host, why, viaRedirect);
		}
		const filter = (this.ctx.helpers as EgressHelpers).getSecureEgressFilter?.();
		const verdict = filter ? await filter.validateUrl(parsed.href) : undefined;
		if (verdict && !verdict.ok) throw new SparkInputRefusedError(parsed.host, 'blocked by n8n\'s SSRF protection on this instance', viaRedirect);
	}
}

function hostnameOf(url: string): string {
	return URL.canParse(url) ? new URL(url).hostname : '';
}

function hostOfUrl(url: string): string {
	return URL.canParse(url) ? new URL(url).host : url.slice(0, 100);
}

/** A client for this execution: endpoints from the Vtrix API credential, refused before any request if unusable. */
export async function createSparkClient(ctx: IExecuteFunctions, settings: ClientSettings): Promise<SparkClient> {
	const credentials = (await ctx.getCredentials(CREDENTIAL_NAME)) as SparkCredentialData;
	const endpoints = resolveEndpoints(credentials);
	const { shareBudget, ...transport } = settings;
	const budget = shareBudget ? budgetFor(originOf(endpoints.createTaskUrl), settings.clock) : undefined;
	return new SparkClient(ctx, endpoints, { ...transport, budget }, new SecretScrubber([String(credentials.apiKey)]));
}
