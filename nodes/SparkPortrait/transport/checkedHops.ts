/**
 * Requests that go where a URL someone else chose points (the Image URL, a result URL), without
 * the key: redirects are followed one hop at a time, and every host is checked before it is
 * fetched, against the address rule (addressPolicy.ts) and n8n's own SSRF protection where the
 * instance has it.
 */
import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { classifyHost, CLASS_WORDS, isAlwaysRefused, mayFetch, type AddressClass } from './addressPolicy';
import { discardBody, readCapped, type CappedBody } from './cappedBody';
import { isSuccess, receiveOrDiscard, type Answer, type Exchange, type HttpCore } from './http';
import { MAX_REDIRECTS, redirectTarget } from './redirects';
import { SparkHttpError, SparkNetworkError, SparkRefusedError } from '../errors/failures';
import { hostOf } from '../errors/messages';

interface HopPolicy {
	origin: AddressClass;
	/** Words for where the fetch began, in a refusal of a private host ("a public Image URL"). */
	originName: string;
	refuse(host: string, reason: string, viaRedirect: boolean): Error;
}

/** n8n 2.x's egress filter (its SSRF protection); absent in 1.x. */
type EgressHelpers = { getSecureEgressFilter?: () => { validateUrl(url: string): Promise<{ ok: boolean }> } };

async function checkHost(ctx: IExecuteFunctions, url: string, policy: HopPolicy, viaRedirect: boolean): Promise<void> {
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw policy.refuse(parsed?.protocol ?? url.slice(0, 40), 'not an http:// or https:// URL', viaRedirect);
	}
	const target = classifyHost(parsed.hostname);
	if (!mayFetch(policy.origin, target)) {
		const why = isAlwaysRefused(target) ? CLASS_WORDS[target] : `${CLASS_WORDS[target]}, reached from ${policy.originName}`;
		throw policy.refuse(parsed.host, why, viaRedirect);
	}
	const filter = (ctx.helpers as EgressHelpers).getSecureEgressFilter?.();
	const verdict = filter ? await filter.validateUrl(parsed.href) : undefined;
	if (verdict && !verdict.ok) throw policy.refuse(parsed.host, 'blocked by n8n\'s SSRF protection on this instance', viaRedirect);
}

/** The response at the end of the redirects, every hop checked first; n8n's helper follows none itself. */
async function fetchHopByHop(ctx: IExecuteFunctions, request: IHttpRequestOptions, policy: HopPolicy, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
	let url = request.url;
	for (let hops = 0; ; hops++) {
		await checkHost(ctx, url, policy, hops > 0);
		const response = await receiveOrDiscard(ctx.helpers.httpRequest({ ...request, url, disableFollowRedirect: true }) as Promise<IN8nHttpFullResponse>, signal);
		const target = redirectTarget(response, url);
		if (target === undefined) return response;
		discardBody(response.body);
		if (hops >= MAX_REDIRECTS) throw policy.refuse(hostOf(target), `more than ${MAX_REDIRECTS} redirects`, true);
		url = target;
	}
}

export interface CheckedGet extends Pick<Exchange<CappedBody>, 'reason'> {
	kind: 'download' | 'input';
	url: string;
	/** The class of the address the fetch answers to (the Base URL for a result): private hosts are reached only from a private one. */
	origin: AddressClass;
	maxBytes: number;
}

/**
 * A GET of the download or input client, tried under the retry rules: every hop checked, the body
 * read no further than `maxBytes`. An error answer's body is not read: a host's words are not the
 * API's, its status says enough.
 */
export async function checkedGet(ctx: IExecuteFunctions, core: HttpCore, get: CheckedGet, signal?: AbortSignal): Promise<Answer<CappedBody>> {
	const { kind, url, maxBytes } = get;
	const policy: HopPolicy = {
		origin: get.origin,
		originName: kind === 'input' ? 'a public Image URL' : 'a public Base URL',
		// A host is the server's words: it may carry the key.
		refuse: (host, reason, viaRedirect) => new SparkRefusedError(kind, core.scrubber.text(host), reason, viaRedirect),
	};
	return await core.send<CappedBody>({
		kind,
		once: async (attemptSignal) => {
			const response = await fetchHopByHop(ctx, { method: 'GET', url, ...core.requestOptions(attemptSignal) }, policy, attemptSignal);
			const headers = core.headersOf(response);
			const { statusCode } = response;
			if (isSuccess(statusCode)) return { statusCode, headers, body: await readCapped(response.body, headers['content-length'], maxBytes, attemptSignal) };
			discardBody(response.body);
			return { statusCode, headers, body: { data: Buffer.alloc(0), complete: true } };
		},
		refused: (failed, attempts) => new SparkHttpError({ requestKind: kind, statusCode: failed.statusCode, reply: {}, attempts, url }),
		unreachable: (reason, attempts) => new SparkNetworkError(kind, reason, attempts, false, url),
		reason: get.reason,
	}, signal);
}
