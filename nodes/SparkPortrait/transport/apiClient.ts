/**
 * Calls to the Vtrix API, the create and the status read: with the key (the credential adds the
 * Bearer header), so no redirect off the API's origin (redirects.ts); they spend the process's
 * request budget; their small JSON answers are read capped, scrubbed of the key and parsed into
 * tasks here, once.
 */
import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { vtrixUrlFor, type SparkEndpoints } from '../api/endpoints';
import { describeErrorReply, parseTask } from '../api/parse';
import { createRequest, formatNames } from '../api/requestFormat';
import type { CreateTaskBody, SparkTask } from '../api/types';
import { discardBody, readCapped } from './cappedBody';
import { isSuccess, receiveOrDiscard, type Answer, type Exchange, type HttpCore } from './http';
import { originOf, redirectTarget, refuseRedirect } from './redirects';
import { MAX_SERVER_PAUSE_MS, PRIORITY, type RequestBudget } from './requestBudget';
import { parseRetryAfter } from './retry';
import { SparkHttpError, SparkNetworkError, SparkRedirectError, SparkPausedError, SparkResponseTooLargeError, UnexpectedResponseError } from '../errors/failures';

export const CREDENTIAL_NAME = 'sparkPortraitVtrixApi';

/** A create or status answer is a small JSON document: one larger than this is refused unread. */
export const API_JSON_MAX_BYTES = 1024 * 1024;
/** An error answer is read only for its code and message. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

export interface TaskRead {
	task: SparkTask;
	/** A Retry-After the server sent with the status, to space the next read. */
	retryAfterMs?: number;
}

/**
 * An API answer's body: JSON when it parses, its text otherwise (undefined when empty); an error
 * answer's text is kept short for a message (scrubbed before it is cut).
 */
function decodeJson(text: string, forError: boolean): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return forError ? { message: text.slice(0, 500) } : text;
	}
}

function isJsonObject(body: unknown): body is object {
	return typeof body === 'object' && body !== null;
}

export class ApiClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly endpoints: SparkEndpoints,
		private readonly core: HttpCore,
		private readonly budget?: RequestBudget,
	) {}

	/** Scheme, host and port of the API: what its rate limit and its task times belong to. */
	get apiOrigin(): string {
		return originOf(this.endpoints.createTaskUrl);
	}

	async createTask(body: CreateTaskBody, signal?: AbortSignal): Promise<SparkTask> {
		const answer = await this.core.send(this.exchange('create', 'POST', this.endpoints.createTaskUrl, PRIORITY.create, createRequest(body, this.endpoints.requestFormat)), signal);
		if (!isJsonObject(answer.body)) throw new UnexpectedResponseError('The Vtrix API answered the create request with something that is not JSON');
		return parseTask(answer.body);
	}

	/** `priority`: where the read waits when the budget is short (PRIORITY.likelyDone goes before PRIORITY.read). */
	async readTask(taskId: string, signal?: AbortSignal, priority: number = PRIORITY.read): Promise<TaskRead> {
		const answer = await this.core.send(this.exchange('status', 'GET', this.endpoints.taskStatusUrl(taskId), priority), signal);
		if (!isJsonObject(answer.body)) throw new UnexpectedResponseError('The Vtrix API answered the status request with something that is not JSON');
		const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], this.core.settings.clock.now());
		return { task: parseTask(answer.body, taskId), retryAfterMs };
	}

	private exchange(kind: 'create' | 'status', method: 'POST' | 'GET', url: string, priority: number, body?: object): Exchange<unknown> {
		const { budget } = this;
		const { clock } = this.core.settings;
		// A request waits for the API's pauses this long in all, its retries included: no item waits for years on a header.
		const waitUntil = clock.now() + MAX_SERVER_PAUSE_MS;
		let lastFailure: string | undefined;
		return {
			kind,
			once: async (signal) => await this.readAnswer(kind, await this.requestWithKey(kind, method, url, body, signal), signal),
			refused: (answer, attempts) => new SparkHttpError({
				requestKind: kind,
				statusCode: answer.statusCode,
				reply: describeErrorReply(answer.body),
				attempts,
				url,
				formats: kind === 'create' ? formatNames(this.endpoints.requestFormat) : undefined,
				vtrixUrl: vtrixUrlFor(kind),
			}),
			unreachable: (reason, attempts) => new SparkNetworkError(kind, reason, attempts, kind === 'create', url),
			// A 2xx status read whose body is not JSON is as transient as a dropped connection.
			transient: (answer) => (kind === 'status' && !isJsonObject(answer.body) ? 'an answer that is not JSON' : undefined),
			...(budget && {
				gate: async (signal) => {
					if (clock.now() + budget.pausedForMs > waitUntil) throw new SparkPausedError(kind, budget.askedPauseMs, MAX_SERVER_PAUSE_MS, lastFailure);
					await budget.take(priority, signal);
				},
				observe: (answer) => {
					budget.observe(answer.statusCode, answer.headers);
					lastFailure = isSuccess(answer.statusCode) ? undefined : `HTTP ${answer.statusCode}`;
					// Each process has a budget of its own; its log says what it was told (queue-mode workers too).
					if (answer.statusCode === 429) this.ctx.logger?.info(`Spark Portrait: ${originOf(url)} answered 429; requests from this n8n process wait ${Math.round(budget.pausedForMs)} ms`);
				},
			}),
		};
	}

	private async readAnswer(kind: 'create' | 'status', response: IN8nHttpFullResponse, signal: AbortSignal): Promise<Answer<unknown>> {
		const ok = isSuccess(response.statusCode);
		const headers = this.core.headersOf(response);
		const read = await readCapped(response.body, headers['content-length'], ok ? API_JSON_MAX_BYTES : ERROR_BODY_MAX_BYTES, signal);
		if (ok && !read.complete) throw new SparkResponseTooLargeError(kind, API_JSON_MAX_BYTES);
		const { scrubber } = this.core;
		// Scrubbed as text first (a secret cut in half is no longer found), and again once parsed (JSON's escapes undone).
		return { statusCode: response.statusCode, headers, body: read.complete ? scrubber.value(decodeJson(scrubber.text(read.data.toString('utf8')), !ok)) : undefined };
	}

	private async requestWithKey(kind: 'create' | 'status', method: 'POST' | 'GET', requestUrl: string, body: object | undefined, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
		const apiOrigin = originOf(requestUrl);
		let url = requestUrl;
		for (let hops = 0; ; hops++) {
			const response = await receiveOrDiscard(this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_NAME, {
				method,
				url,
				...(body === undefined ? {} : { body }),
				json: true,
				...this.core.requestOptions(signal),
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			}) as Promise<IN8nHttpFullResponse>, signal);
			const target = redirectTarget(response, url);
			if (target === undefined) return response;
			discardBody(response.body);
			const refusal = refuseRedirect(kind, apiOrigin, target, hops);
			if (refusal) throw new SparkRedirectError(kind, response.statusCode, this.core.scrubber.text(url), this.core.scrubber.text(target), refusal);
			url = target;
		}
	}
}
