/**
 * AWS Signature Version 4 for S3-compatible storage: header-signed requests and presigned URLs, pure
 * functions of their inputs (the time is a parameter), so checked byte for byte against AWS's examples.
 */
import { createHash, createHmac } from 'crypto';

export interface SigningKeys {
	accessKeyId: string;
	secretAccessKey: string;
}

export interface SigningScope {
	region: string;
}

const SERVICE = 's3';
const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** 20130524T000000Z */
export function amzDate(date: Date): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is %XX (upper case). */
export function uriEncode(text: string): string {
	return Array.from(Buffer.from(text, 'utf8'))
		.map((byte) => {
			const char = String.fromCharCode(byte);
			return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		})
		.join('');
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** S3 encodes each path segment once (no double encoding), keeping the slashes. */
export function canonicalPath(pathname: string): string {
	return pathname.split('/').map((segment) => uriEncode(decodeSegment(segment))).join('/') || '/';
}

export function canonicalQuery(params: Iterable<[string, string]>): string {
	return [...params]
		.map(([key, value]) => [uriEncode(key), uriEncode(value)])
		.sort(([keyA, valueA], [keyB, valueB]) => (keyA === keyB ? (valueA < valueB ? -1 : 1) : keyA < keyB ? -1 : 1))
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
}

function canonicalHeaders(headers: Record<string, string>): { block: string; signed: string } {
	const entries = Object.entries(headers)
		.map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')])
		.sort(([a], [b]) => (a < b ? -1 : 1));
	return {
		block: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
		signed: entries.map(([name]) => name).join(';'),
	};
}

export interface CanonicalRequestParts {
	method: string;
	pathname: string;
	/** The canonical query string (see canonicalQuery). */
	query: string;
	/** Headers to sign, host included. */
	headers: Record<string, string>;
	payloadHash: string;
}

export function canonicalRequest({ method, pathname, query, headers, payloadHash }: CanonicalRequestParts): string {
	const { block, signed } = canonicalHeaders(headers);
	return [method.toUpperCase(), canonicalPath(pathname), query, block, signed, payloadHash].join('\n');
}

function credentialScope(date: Date, scope: SigningScope): string {
	return `${amzDate(date).slice(0, 8)}/${scope.region}/${SERVICE}/aws4_request`;
}

export function stringToSign(canonical: string, date: Date, scope: SigningScope): string {
	return [ALGORITHM, amzDate(date), credentialScope(date, scope), sha256Hex(canonical)].join('\n');
}

export function signature(secretAccessKey: string, date: Date, scope: SigningScope, toSign: string): string {
	const dateKey = hmac(`AWS4${secretAccessKey}`, amzDate(date).slice(0, 8));
	const signingKey = hmac(hmac(hmac(dateKey, scope.region), SERVICE), 'aws4_request');
	return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}

export interface HeaderSigningRequest {
	method: string;
	url: URL;
	/** Extra headers to sign and send (for example content-type). */
	headers?: Record<string, string>;
	payloadHash: string;
}

/** Host is signed as the URL names it but not returned: the HTTP client sends that same value. */
export function signRequest(request: HeaderSigningRequest, keys: SigningKeys, scope: SigningScope, date: Date): Record<string, string> {
	const headers: Record<string, string> = {
		...(request.headers ?? {}),
		'x-amz-content-sha256': request.payloadHash,
		'x-amz-date': amzDate(date),
	};
	const signed = { ...headers, host: request.url.host };
	const canonical = canonicalRequest({
		method: request.method,
		pathname: request.url.pathname,
		query: canonicalQuery(request.url.searchParams),
		headers: signed,
		payloadHash: request.payloadHash,
	});
	const value = signature(keys.secretAccessKey, date, scope, stringToSign(canonical, date, scope));
	return {
		...headers,
		authorization: `${ALGORITHM} Credential=${keys.accessKeyId}/${credentialScope(date, scope)},SignedHeaders=${canonicalHeaders(signed).signed},Signature=${value}`,
	};
}

/** A URL anyone can use with `method` until it expires: only the host is signed. */
export function presignUrl(method: string, url: URL, keys: SigningKeys, scope: SigningScope, date: Date, expiresSeconds: number): string {
	const params: Array<[string, string]> = [
		...url.searchParams,
		['X-Amz-Algorithm', ALGORITHM],
		['X-Amz-Credential', `${keys.accessKeyId}/${credentialScope(date, scope)}`],
		['X-Amz-Date', amzDate(date)],
		['X-Amz-Expires', String(expiresSeconds)],
		['X-Amz-SignedHeaders', 'host'],
	];
	const query = canonicalQuery(params);
	const canonical = canonicalRequest({ method, pathname: url.pathname, query, headers: { host: url.host }, payloadHash: UNSIGNED_PAYLOAD });
	const value = signature(keys.secretAccessKey, date, scope, stringToSign(canonical, date, scope));
	return `${url.origin}${canonicalPath(url.pathname)}?${query}&X-Amz-Signature=${value}`;
}
