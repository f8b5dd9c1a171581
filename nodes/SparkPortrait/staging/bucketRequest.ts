/**
 * What the S3 staging credential's `authenticate` does to a request n8n hands it: resolves it to
 * the bucket and signs it (SigV4). Any node may send with this credential, so it signs only what
 * the node and the credential's test need (plain requests for one object under the Key Prefix, one
 * listing of it) and refuses the rest (DeleteObjects, policy, ACLs, copies) before anything is sent.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { BucketRequestError } from '../errors/failures';
import { canonicalQuery, sha256Hex, signRequest } from './sigv4';
import { objectUrl, resolveStagingTarget, type StagingCredentialData, type StagingTarget } from './bucketTarget';

const SIGNS_ONLY = 'The staging credential signs only';
const OBJECT_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE'];
/** What the credential's test sends; `prefix` is replaced by the Key Prefix. */
const LISTING_QUERY = ['list-type', 'max-keys', 'prefix'];

function quoted(names: string[]): string {
	return names.map((name) => `"${name.slice(0, 40)}"`).join(', ');
}

function listingUrl(target: StagingTarget, method: string, query: Array<[string, string]>): URL {
	const others = query.map(([name]) => name).filter((name) => !LISTING_QUERY.includes(name));
	if (method !== 'GET' || others.length > 0 || !query.some(([name]) => name === 'list-type')) {
		const what = others.length > 0 ? `${method} with ${quoted(others)}` : query.length > 0 ? method : `${method} of the bucket itself`;
		throw new BucketRequestError(`${SIGNS_ONLY} one listing of its Key Prefix (a GET with list-type and max-keys), not ${what}`);
	}
	const url = objectUrl(target);
	url.search = canonicalQuery([...query.filter(([name]) => name !== 'prefix'), ['prefix', target.keyPrefix]]);
	return url;
}

function objectRequestUrl(target: StagingTarget, method: string, key: string, query: Array<[string, string]>): URL {
	const segments = key.slice(target.keyPrefix.length).split('/');
	if (!key.startsWith(target.keyPrefix) || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
		throw new BucketRequestError(`${SIGNS_ONLY} objects under its Key Prefix "${target.keyPrefix}"`);
	}
	if (!OBJECT_METHODS.includes(method)) throw new BucketRequestError(`${SIGNS_ONLY} GET, HEAD, PUT and DELETE of an object, not ${method.slice(0, 20)}`);
	// A query names a sub-resource (?acl, ?tagging, ?uploads): not the object itself.
	if (query.length > 0) throw new BucketRequestError(`${SIGNS_ONLY} plain object requests, which take no query; got ${quoted(query.map(([name]) => name))}`);
	return objectUrl(target, key);
}

function resolveUrl(target: StagingTarget, method: string, path: string, qs: IDataObject | undefined): URL {
	if (!path.startsWith('/') || path.startsWith('//')) {
		throw new BucketRequestError(`A staging bucket request names a path inside the bucket ("/key"), not "${path.slice(0, 80)}"`);
	}
	const key = path.slice(1);
	const query = Object.entries(qs ?? {}).map(([name, value]): [string, string] => [name, String(value)]);
	return key === '' ? listingUrl(target, method, query) : objectRequestUrl(target, method, key, query);
}

function payloadOf(body: unknown): Buffer | string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body) || typeof body === 'string') return body;
	throw new BucketRequestError('The staging credential signs only byte bodies');
}

/**
 * The URL goes out absolute and encoded as signed. Only content-type among the caller's headers is
 * signed: the HTTP client may add others. Redirects are never followed: they would carry the
 * signature (and n8n would send the Authorization header along) to another address.
 */
export function signBucketRequest(data: StagingCredentialData, request: IHttpRequestOptions, now: Date): IHttpRequestOptions {
	const target = resolveStagingTarget(data);
	const method = (request.method ?? 'GET').toUpperCase();
	const url = resolveUrl(target, method, request.url, request.qs);
	const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
	// x-amz-copy-source reads an object from anywhere in the bucket; x-amz-acl and x-amz-grant-* change permissions.
	const amzHeaders = Object.keys(headers).filter((name) => name.startsWith('x-amz-'));
	if (amzHeaders.length > 0) throw new BucketRequestError(`${SIGNS_ONLY} requests without x-amz-* headers of their own; got ${quoted(amzHeaders)}`);
	const signedHeaders: Record<string, string> = headers['content-type'] === undefined ? {} : { 'content-type': headers['content-type'] };
	const signed = signRequest({ method, url, headers: signedHeaders, payloadHash: sha256Hex(payloadOf(request.body)) }, target.keys, target, now);
	return { ...request, method: request.method ?? 'GET', url: url.href, baseURL: undefined, qs: undefined, headers: { ...headers, ...signed }, disableFollowRedirect: true };
}
