/**
 * Check Image First's fetch of the Image URL: no key, redirects followed hop by hop with every
 * host checked (checkedHops.ts), read no further than the API's 5 MB limit, so a huge URL costs a
 * few MB whatever Max Parallel Tasks is. An error answer's body is not read: its status says enough.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { IMAGE_MAX_BYTES } from '../api/constants';
import { classifyHost } from './addressPolicy';
import { discardBody, readCapped, type CappedBody } from './cappedBody';
import { fetchHopByHop, type HopPolicy } from './checkedHops';
import { isSuccess, type Answer, type HttpCore } from './http';
import { SparkHttpError, SparkNetworkError, SparkRefusedError } from '../errors/failures';

export class ImageCheckClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly core: HttpCore,
	) {}

	/** The input image, read no further than the API's limit (`complete` false past it). */
	async fetchImage(url: string, signal?: AbortSignal): Promise<CappedBody> {
		const policy: HopPolicy = {
			origin: classifyHost(URL.canParse(url) ? new URL(url).hostname : ''),
			originName: 'a public Image URL',
			// A redirect's host is the server's words: it may carry the key.
			refuse: (host, reason, viaRedirect) => new SparkRefusedError('input', this.core.scrubber.text(host), reason, viaRedirect),
		};
		const answer = await this.core.send<CappedBody | undefined>({
			kind: 'input',
			url,
			once: async (attemptSignal): Promise<Answer<CappedBody | undefined>> => {
				const response = await fetchHopByHop(this.ctx, { method: 'GET', url, ...this.core.requestOptions(attemptSignal) }, policy, attemptSignal);
				const headers = this.core.headersOf(response);
				if (!isSuccess(response.statusCode)) {
					discardBody(response.body);
					return { statusCode: response.statusCode, headers, body: undefined };
				}
				return { statusCode: response.statusCode, headers, body: await readCapped(response.body, headers['content-length'], IMAGE_MAX_BYTES, attemptSignal) };
			},
			refused: (failed, attempts) => new SparkHttpError({ requestKind: 'input', statusCode: failed.statusCode, reply: {}, attempts, url }),
			unreachable: (reason, attempts) => new SparkNetworkError('input', reason, attempts, false, url),
			// A connection refused, reset or timed out says something about the network behind the
			// Image URL's host; the user only needs to know that it gave no image.
			reason: () => 'the host could not be reached or broke off the connection',
		}, signal);
		return answer.body ?? { data: Buffer.alloc(0), complete: true };
	}
}
