/**
 * The HTTP core every client shares, the staging bucket's too: tries under the retry rules, each
 * under one wall-clock limit, the Request Timeout, over connecting, headers and body (n8n's own
 * timeout only notices a silent socket); an answer's headers and a failure's words lose the key
 * before anything reads them. The clients say what a request sends, how its answer is read and
 * what its failures are.
 */
import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import { abandonOnAbort, realClock, startDeadline, type Clock } from './clock';
import { discardBody } from './cappedBody';
import { SecretScrubber } from './redact';
import { isRateLimited, parseRetryAfter, retryDelay, type AttemptOutcome, type RetryPolicy } from './retry';
import { CancelledError, errorReason, SparkRedirectError, SparkRefusedError, SparkResponseTooLargeError, type RequestKind } from '../errors/failures';
import { statusFailureWords } from '../errors/messages';

export interface HttpSettings {
	requestTimeoutMs: number;
	retry: RetryPolicy;
	clock: Clock;
}

/** An answer whose body has been read as its client reads it; headers scrubbed of secrets. */
export interface Answer<T> {
	statusCode: number;
	headers: IDataObject;
	body: T;
}

export function isSuccess(statusCode: number): boolean {
	return statusCode >= 200 && statusCode < 300;
}

/** What one client does with one request; the core does the tries. */
export interface Exchange<T> {
	kind: RequestKind;
	/** One try: sends, and reads the answer before `signal` aborts (the Request Timeout, or a cancel). */
	once(signal: AbortSignal): Promise<Answer<T>>;
	/** The failure of a request the server answered with an error status, once no retry is left. */
	refused(answer: Answer<T>, attempts: number): Error;
	/** The failure of a request that got no answer, once no retry is left. */
	unreachable(reason: string, attempts: number): Error;
	/** The reason of a try that got no answer, in words fit for the user (default: the network error, scrubbed). */
	reason?(error: unknown): string | undefined;
	/** A success that is as transient as a dropped connection: the reason, or undefined when it is fine. */
	transient?(answer: Answer<T>): string | undefined;
	/** Waited for before each try (the request budget): nothing is sent while it waits. `observe` hears every answer. */
	gate?(signal?: AbortSignal): Promise<void>;
	observe?(answer: Answer<T>): void;
}

/** A try that failed, in a few words (a deadline says why reads failed); `giveUp` throws the failure (or settles) when no retry is left. */
interface Failure<T> {
	outcome: AttemptOutcome;
	reason: string;
	giveUp: (attempts: number) => Answer<T>;
}

/** One try ran out of its Request Timeout: no complete answer (headers and body) in time. */
class AttemptTimedOut extends Error {}

/** Failures the transport decided on itself: never tried again. */
function isFinal(error: unknown): boolean {
	return [SparkRedirectError, SparkResponseTooLargeError, SparkRefusedError].some((final) => error instanceof final);
}

/** Waits for the response headers; a response that arrives after its request was given up is closed unread. */
export async function receiveOrDiscard<R extends { body?: unknown }>(pending: Promise<R>, signal: AbortSignal): Promise<R> {
	const settled = await abandonOnAbort(pending, signal).then((response) => ({ response }), (error: unknown) => ({ error }));
	if ('error' in settled) {
		pending.then((late) => discardBody(late.body), () => undefined);
		throw settled.error;
	}
	return settled.response;
}

export class HttpCore {
	constructor(
		readonly settings: HttpSettings,
		/** Removes the secrets (the API key, the bucket's secret) from every answer as it arrives. */
		readonly scrubber = new SecretScrubber([]),
	) {}

	/** Headers as the clients read them: scrubbed, lower-case names (as n8n's helpers give them). */
	headersOf(response: IN8nHttpFullResponse): IDataObject {
		return this.scrubber.value(response.headers ?? {});
	}

	/**
	 * One request with its tries; resolves with a 2xx answer or throws the request's failure (after
	 * a cancel, a CancelledError carrying the last failure).
	 */
	async send<T>(exchange: Exchange<T>, signal?: AbortSignal): Promise<Answer<T>> {
		const { clock, retry } = this.settings;
		const tally = { failures: 0, rateLimits: 0 };
		let lastFailure: string | undefined;
		for (;;) {
			if (signal?.aborted) throw new CancelledError(lastFailure);
			// A gate that gives up (the budget's pause is longer than the request may wait) says why; a cancel there sent nothing.
			const refused = exchange.gate && (await exchange.gate(signal).then(() => undefined, (error: unknown) => ({ error })));
			if (refused) throw signal?.aborted || refused.error instanceof CancelledError ? new CancelledError(lastFailure) : refused.error;
			// Handled after the promise, so the error is not rethrown from a catch block.
			const sent = await this.attempt(exchange, signal).then((answer) => ({ answer }), (error: unknown) => ({ error }));
			// Aborted while a try ran: that request was sent and never answered.
			if ('error' in sent && signal?.aborted) throw new CancelledError(lastFailure, true);
			if ('error' in sent && isFinal(sent.error)) throw sent.error;
			const failed = this.judge(exchange, sent);
			if (!('giveUp' in failed)) return failed;
			lastFailure = failed.reason;
			const rateLimited = isRateLimited(failed.outcome);
			const allowed = retryDelay(exchange.kind, failed.outcome, rateLimited ? tally.rateLimits : tally.failures, retry);
			if (allowed === undefined) return failed.giveUp(tally.failures + tally.rateLimits + 1);
			// With a gate (the request budget, which holds every request of the process), a 429's wait is the budget's, not the loop's.
			const delay = rateLimited && exchange.gate ? 0 : allowed;
			if (rateLimited) tally.rateLimits++;
			else tally.failures++;
			// Jitter, so parallel items that were told to wait the same time do not return together.
			const slept = await clock.sleep(delay * (1 + Math.random() * 0.2), signal).then(() => true, () => false);
			if (!slept) throw new CancelledError(lastFailure);
		}
	}

	private judge<T>(exchange: Exchange<T>, sent: { answer: Answer<T> } | { error: unknown }): Answer<T> | Failure<T> {
		if ('error' in sent) {
			const reason = this.reasonOf(exchange, sent.error);
			return {
				outcome: { kind: 'network' },
				reason,
				giveUp: (attempts) => {
					throw exchange.unreachable(reason, attempts);
				},
			};
		}
		const { answer } = sent;
		exchange.observe?.(answer);
		if (isSuccess(answer.statusCode)) {
			const transient = exchange.transient?.(answer);
			return transient === undefined ? answer : { outcome: { kind: 'network' }, reason: transient, giveUp: () => answer };
		}
		const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], this.settings.clock.now());
		return {
			outcome: { kind: 'response', statusCode: answer.statusCode, retryAfterMs },
			// Repeated by a later message (a deadline's), with the wait the server asked for.
			reason: statusFailureWords(answer.statusCode, retryAfterMs),
			giveUp: (attempts) => {
				throw exchange.refused(answer, attempts);
			},
		};
	}

	private reasonOf<T>(exchange: Exchange<T>, error: unknown): string {
		if (error instanceof AttemptTimedOut) return `no complete answer within the Request Timeout (${Math.round(this.settings.requestTimeoutMs / 1000)} s)`;
		return exchange.reason?.(error) ?? this.scrubber.text(errorReason(error));
	}

	/**
	 * One try under the Request Timeout. n8n's authenticated helper replaces our abort signal with
	 * the execution's, so a body is read as a stream and destroyed (its socket closed) when the
	 * limit or `signal` ends the try, and a response still on its way is abandoned.
	 */
	private async attempt<T>(exchange: Exchange<T>, signal?: AbortSignal): Promise<Answer<T>> {
		const deadline = startDeadline(realClock, this.settings.requestTimeoutMs, signal);
		const outcome = await exchange.once(deadline.signal).then((answer) => ({ answer }), (error: unknown) => ({ error }));
		deadline.dispose();
		if ('answer' in outcome) return outcome.answer;
		if (deadline.expired) throw new AttemptTimedOut();
		throw outcome.error;
	}

	requestOptions(signal: AbortSignal): { encoding: 'stream'; timeout: number; returnFullResponse: true; ignoreHttpStatusErrors: true; abortSignal: AbortSignal } {
		return { encoding: 'stream', timeout: this.settings.requestTimeoutMs, returnFullResponse: true, ignoreHttpStatusErrors: true, abortSignal: signal };
	}
}
