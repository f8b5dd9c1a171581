/**
 * What the S3 staging credential's `authenticate` does to a request n8n hands it: resolves it to
 * the bucket and signs it with SigV4. A request names a path inside the bucket, never a host:
 * `/<key>` for one object (its key under the Key Prefix), or `/` with `list-type` for a listing
 * of the Key Prefix. Whoever sends with this credential stays inside the bucket and its prefix.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { BucketRequestError } from '../errors/failures';
import { sha256Hex, signRequest, uriEncode } from './sigv4';
import { bucketUrl, objectUrl, resolveStagingTarget, type StagingCredentialData, type StagingTarget } from './bucketTarget';

const SERVICE = 's3';


function queryOf(qs: IDataObject | undefined): Array<[string, string]> {
	return Object.entries(qs ?? {}).map(([name, value]) => [name, String(value)]);
}

/** The object or listing URL of a bucket-relative request, confined to the Key Prefix. */
function resolveUrl(target: StagingTarget, path: string, qs: IDataObject | undefined): URL {
	if (!path.startsWith('/') || path.startsWith('//')) {
		throw new BucketRequestError(`A staging bucket request names a path inside the bucket ("/key"), not "${path.slice(0, 80)}"`);
	}
	const key = path.slice(1);
	const query = queryOf(qs);
	if (key === '') {
		if (!query.some(([name]) => name === 'list-type')) throw new BucketRequestError('A request to the bucket itself must be a listing (list-type)');
		// A listing shows the Key Prefix, whatever prefix was asked for.
		const params = [...query.filter(([name]) => name !== 'prefix'), ['prefix', target.keyPrefix]];
		const url = bucketUrl(target);
		url.search = params.map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`).join('&');
		return url;
	}
	const segments = key.slice(target.keyPrefix.length).split('/');
	if (!key.startsWith(target.keyPrefix) || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
		throw new BucketRequestError(`The staging credential signs only objects under its Key Prefix "${target.keyPrefix}"`);
	}
	if (query.length > 0) throw new BucketRequestError('A staging object request takes no query');
	return objectUrl(target, key);
}

function payloadOf(body: unknown): Buffer | string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body) || typeof body === 'string') return body;
	throw new BucketRequestError('The staging credential signs only byte bodies');
}

/**
 * The request as it goes out: its absolute URL (query included, encoded as signed) and the
 * SigV4 headers for the time `now`. Only content-type among the caller's headers is signed; the
 * HTTP client may add others. Redirects are never followed: they would carry the signature (and
 * n8n would send the Authorization header along) to another address.
 */
export function signBucketRequest(data: StagingCredentialData, request: IHttpRequestOptions, now: Date): IHttpRequestOptions {
	const target = resolveStagingTarget(data);
	const url = resolveUrl(target, request.url, request.qs);
	const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
	const signedHeaders: Record<string, string> = headers['content-type'] === undefined ? {} : { 'content-type': headers['content-type'] };
	const method = (request.method ?? 'GET').toUpperCase();
	const signed = signRequest({ method, url, headers: signedHeaders, payloadHash: sha256Hex(payloadOf(request.body)) }, target.keys, { region: target.region, service: SERVICE }, now);
	return { ...request, method: request.method ?? 'GET', url: url.href, baseURL: undefined, qs: undefined, headers: { ...headers, ...signed }, disableFollowRedirect: true };
}
