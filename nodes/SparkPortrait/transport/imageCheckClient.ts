/**
 * Check Image First's fetch of the Image URL: no key, redirects followed hop by hop with every
 * host checked (checkedHops.ts), read no further than the API's 5 MB limit, so a huge URL costs a
 * few MB whatever Max Parallel Tasks is.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { IMAGE_MAX_BYTES } from '../api/constants';
import { classifyHost } from './addressPolicy';
import type { CappedBody } from './cappedBody';
import { checkedGet } from './checkedHops';
import type { HttpCore } from './http';

export class ImageCheckClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly core: HttpCore,
	) {}

	/** The input image, read no further than the API's limit (`complete` false past it). */
	async fetchImage(url: string, signal?: AbortSignal): Promise<CappedBody> {
		const origin = classifyHost(URL.canParse(url) ? new URL(url).hostname : '');
		// A connection refused, reset or timed out says something about the network behind the
		// Image URL's host; the user only needs to know that it gave no image.
		const reason = () => 'the host could not be reached or broke off the connection';
		return (await checkedGet(this.ctx, this.core, { kind: 'input', url, origin, maxBytes: IMAGE_MAX_BYTES, reason }, signal)).body;
	}
}
