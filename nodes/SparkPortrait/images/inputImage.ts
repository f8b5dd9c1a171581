/**
 * Check Image First: the input image is fetched (no credential, read no further than the limit)
 * and checked against the API document's limits before anything is billed. Other input sources
 * (binary data) check their bytes with checkInputImage directly.
 */
import { checkInputImageSize, checkInputImage } from './imageCheck';
import type { ImageCheckClient } from '../transport/imageCheckClient';

export async function fetchCheckedInputImage(client: ImageCheckClient, url: string, signal?: AbortSignal): Promise<Buffer> {
	const { data, complete, declaredBytes } = await client.fetchImage(url, signal);
	if (!complete) checkInputImageSize(declaredBytes);
	checkInputImage(data);
	return data;
}
