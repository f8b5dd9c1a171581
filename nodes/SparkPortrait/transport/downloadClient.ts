/**
 * Result downloads: no key (a result sits on a CDN, not at the API), read no further than Max
 * Result Size. A result URL is the API's (or a gateway's, or whoever sits on an http:// Base URL's
 * path) to choose, so it gets Check Image First's rule, judged against the Base URL: redirects
 * hop by hop, every host checked (checkedHops.ts). The answer is the bytes and the MIME type the
 * host named; whether they are an image is for the caller to check (images/ sits above the transport).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { headerText } from './headers';
import type { AddressClass } from './addressPolicy';
import { checkedGet } from './checkedHops';
import type { HttpCore } from './http';
import { SparkResponseTooLargeError } from '../errors/failures';

export interface DownloadedImage {
	data: Buffer;
	/** The Content-Type the host sent, without its parameters; empty when it sent none. */
	mimeType: string;
}

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
