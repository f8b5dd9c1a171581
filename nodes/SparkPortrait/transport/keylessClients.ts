/**
 * The clients whose requests go where a URL someone else chose points, without the key: result
 * downloads (a result URL is the API's, or a gateway's, or whoever sits on an http:// Base URL's
 * path to choose) and Check Image First's fetch of the Image URL. Redirects are followed one hop
 * at a time, and every host is checked before it is fetched, against the address rule
 * (addressPolicy.ts) and n8n's own SSRF protection where the instance has it.
 */
import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { IMAGE_MAX_BYTES } from '../api/constants';
import { classifyHost, CLASS_WORDS, isAlwaysRefused, mayFetch, type AddressClass } from './addressPolicy';
import { discardBody, readCapped, type CappedBody } from './cappedBody';
import { headerText } from './headers';
import { isSuccess, receiveOrDiscard, type Answer, type HttpCore } from './http';
import { MAX_REDIRECTS, redirectTarget } from './redirects';
import { SparkHttpError, SparkNetworkError, SparkRefusedError, SparkResponseTooLargeError } from '../errors/failures';
import { hostOf } from '../errors/messages';

/** n8n 2.x's egress filter (its SSRF protection); absent in 1.x. */
type EgressHelpers = { getSecureEgressFilter?: () => { validateUrl(url: string): Promise<{ ok: boolean }> } };

interface CheckedGet {
	kind: 'download' | 'input';
	url: string;
	/** The class of the address the fetch answers to (the Base URL for a result): private hosts are reached only from a private one. */
	origin: AddressClass;
	maxBytes: number;
}

/** An error answer's body is not read: a host's words are not the API's, its status says enough. */
async function checkedGet(ctx: IExecuteFunctions, core: HttpCore, get: CheckedGet, signal?: AbortSignal): Promise<Answer<CappedBody>> {
	const { kind, url, origin, maxBytes } = get;
	// A host is the server's words: it may carry the key.
	const refuse = (host: string, reason: string, viaRedirect: boolean) =>
		new SparkRefusedError(kind, core.scrubber.text(host), reason, viaRedirect);
	const checkHost = async (hopUrl: string, viaRedirect: boolean): Promise<void> => {
		const parsed = URL.canParse(hopUrl) ? new URL(hopUrl) : undefined;
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
			throw refuse(parsed?.protocol ?? hopUrl.slice(0, 40), 'not an http:// or https:// URL', viaRedirect);
		}
		const target = classifyHost(parsed.hostname);
		if (!mayFetch(origin, target)) {
			const from = kind === 'input' ? 'a public Image URL' : 'a public Base URL';
			const why = isAlwaysRefused(target) ? CLASS_WORDS[target] : `${CLASS_WORDS[target]}, reached from ${from}`;
			throw refuse(parsed.host, why, viaRedirect);
		}
		const filter = (ctx.helpers as EgressHelpers).getSecureEgressFilter?.();
		const verdict = filter ? await filter.validateUrl(parsed.href) : undefined;
		if (verdict && !verdict.ok) throw refuse(parsed.host, 'blocked by n8n\'s SSRF protection on this instance', viaRedirect);
	};
	const fetchHopByHop = async (attemptSignal: AbortSignal): Promise<IN8nHttpFullResponse> => {
		let hopUrl = url;
		for (let hops = 0; ; hops++) {
			await checkHost(hopUrl, hops > 0);
			const request = { method: 'GET' as const, url: hopUrl, ...core.requestOptions(attemptSignal), disableFollowRedirect: true };
			const response = await receiveOrDiscard(ctx.helpers.httpRequest(request) as Promise<IN8nHttpFullResponse>, attemptSignal);
			const target = redirectTarget(response, hopUrl);
			if (target === undefined) return response;
			discardBody(response.body);
			if (hops >= MAX_REDIRECTS) throw refuse(hostOf(target), `more than ${MAX_REDIRECTS} redirects`, true);
			hopUrl = target;
		}
	};
	return await core.send<CappedBody>({
		kind,
		once: async (attemptSignal) => {
			const response = await fetchHopByHop(attemptSignal);
			const headers = core.headersOf(response);
			const { statusCode } = response;
			if (isSuccess(statusCode)) return { statusCode, headers, body: await readCapped(response.body, headers['content-length'], maxBytes, attemptSignal) };
			discardBody(response.body);
			return { statusCode, headers, body: { data: Buffer.alloc(0), complete: true } };
		},
		refused: (failed, attempts) => new SparkHttpError({ requestKind: kind, statusCode: failed.statusCode, reply: {}, attempts, url }),
		unreachable: (reason, attempts) => new SparkNetworkError(kind, reason, attempts, false, url),
		// A connection refused, reset or timed out says something about the network behind the
		// Image URL's host; the user only needs to know that it gave no image.
		reason: kind === 'input' ? () => 'the host could not be reached or broke off the connection' : undefined,
	}, signal);
}

export interface DownloadedImage {
	data: Buffer;
	/** The Content-Type the host sent, without its parameters; empty when it sent none. */
	mimeType: string;
}

/** Whether the bytes are an image is for the caller to check: images/ sits above the transport. */
export class DownloadClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly core: HttpCore,
		/** The Base URL's address class: a private API may hand out private result URLs, a public one may not. */
		private readonly baseUrlClass: AddressClass,
	) {}

	async download(url: string, maxBytes: number, signal?: AbortSignal): Promise<DownloadedImage> {
		const { headers, body } = await checkedGet(this.ctx, this.core, { kind: 'download', url, origin: this.baseUrlClass, maxBytes }, signal);
		if (!body.complete) throw new SparkResponseTooLargeError('download', maxBytes);
		return { data: body.data, mimeType: headerText(headers['content-type'])?.split(';')[0].trim() ?? '' };
	}
}

export class ImageCheckClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly core: HttpCore,
	) {}

	/** Read no further than the API's limit (`complete` false past it): a huge URL costs a few MB whatever Max Parallel Tasks is. */
	async fetchImage(url: string, signal?: AbortSignal): Promise<CappedBody> {
		const origin = classifyHost(URL.canParse(url) ? new URL(url).hostname : '');
		return (await checkedGet(this.ctx, this.core, { kind: 'input', url, origin, maxBytes: IMAGE_MAX_BYTES }, signal)).body;
	}
}
