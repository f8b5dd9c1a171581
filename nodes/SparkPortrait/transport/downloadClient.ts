/**
 * Result downloads: no key (a result sits on a CDN, not at the API), read no further than Max
 * Result Size. The answer is the bytes and the MIME type the host named; whether they are an
 * image is for the caller to check (images/imageInfo.ts sits above the transport).
 */
import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { discardBody, readCapped } from './cappedBody';
import { headerText } from './headers';
import { isSuccess, receiveOrDiscard, type Answer, type HttpCore } from './http';
import { SparkHttpError, SparkNetworkError, SparkResponseTooLargeError } from '../errors/failures';

export interface DownloadedImage {
	data: Buffer;
	/** The Content-Type the host sent, without its parameters; empty when it sent none. */
	mimeType: string;
}

export class DownloadClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly core: HttpCore,
	) {}

	async download(url: string, maxBytes: number, signal?: AbortSignal): Promise<DownloadedImage> {
		const answer = await this.core.send<Buffer>({
			kind: 'download',
			url,
			once: async (attemptSignal): Promise<Answer<Buffer>> => {
				const response = await receiveOrDiscard(this.ctx.helpers.httpRequest({ method: 'GET', url, ...this.core.requestOptions(attemptSignal) }) as Promise<IN8nHttpFullResponse>, attemptSignal);
				const headers = this.core.headersOf(response);
				// An error answer's body is not read: a result host's words are not the API's, its status says enough.
				if (!isSuccess(response.statusCode)) {
					discardBody(response.body);
					return { statusCode: response.statusCode, headers, body: Buffer.alloc(0) };
				}
				const read = await readCapped(response.body, headers['content-length'], maxBytes, attemptSignal);
				if (!read.complete) throw new SparkResponseTooLargeError('download', maxBytes, url);
				return { statusCode: response.statusCode, headers, body: read.data };
			},
			refused: (failed, attempts) => new SparkHttpError({ requestKind: 'download', statusCode: failed.statusCode, reply: {}, attempts, url }),
			unreachable: (reason, attempts) => new SparkNetworkError('download', reason, attempts, false, url),
		}, signal);
		return { data: answer.body, mimeType: headerText(answer.headers['content-type'])?.split(';')[0].trim() ?? '' };
	}
}
