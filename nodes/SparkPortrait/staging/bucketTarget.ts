/** The staging credential's fields read into a checked target, and the bucket's object URLs; nothing is sent here. */
import { DEFAULT_STAGING_KEY_PREFIX, DEFAULT_STAGING_REGION } from '../api/paths';
import { uriEncode, type SigningKeys } from './sigv4';
import { InputError } from '../errors/failures';

type StagingField = 'endpoint' | 'region' | 'bucket' | 'accessKeyId' | 'secretAccessKey' | 'keyPrefix' | 'pathStyle';
/** The credential's fields as n8n hands them over. */
export type StagingCredentialData = Partial<Record<StagingField, unknown>>;

export interface StagingTarget {
	endpoint: URL;
	region: string;
	bucket: string;
	keyPrefix: string;
	pathStyle: boolean;
	keys: SigningKeys;
}

const CREDENTIAL = 'the Spark Portrait S3 Staging credential';

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function required(value: unknown, field: string): string {
	const result = text(value);
	if (result === '') throw new InputError(field, `is empty in ${CREDENTIAL}`);
	return result;
}

/** Not trimmed: a secret is used exactly as typed. */
function secret(value: unknown): string {
	if (typeof value !== 'string' || value === '') return required('', 'Secret Access Key');
	return value;
}

function endpointUrl(value: unknown): URL {
	const field = 'Endpoint';
	const raw = required(value, field);
	const url = URL.canParse(raw) ? new URL(raw) : undefined;
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new InputError(field, `in ${CREDENTIAL} must be an http:// or https:// URL such as https://s3.us-east-1.amazonaws.com`);
	}
	if (url.search || url.hash || url.username) {
		throw new InputError(field, `in ${CREDENTIAL} must be the service address only, without query, fragment or user name`);
	}
	return url;
}

function bucketName(value: unknown): string {
	const bucket = required(value, 'Bucket');
	if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(bucket)) {
		throw new InputError('Bucket', `in ${CREDENTIAL} must be a bucket name (letters, digits, dots, hyphens); got "${bucket.slice(0, 80)}"`);
	}
	return bucket;
}

/**
 * No leading slash (S3 keys have none), and a trailing one unless empty, so keys form a folder.
 * A "." or ".." folder would be resolved away by some services and tools (the object lands
 * outside the folder it names), an empty one is a typo: all are refused.
 */
export function normalizeKeyPrefix(value: unknown): string {
	const raw = typeof value === 'string' ? value.trim() : DEFAULT_STAGING_KEY_PREFIX;
	const prefix = raw.replace(/^\/+/, '');
	if (prefix === '') return '';
	const folders = (prefix.endsWith('/') ? prefix.slice(0, -1) : prefix).split('/');
	if (folders.some((folder) => folder === '' || folder === '.' || folder === '..')) {
		throw new InputError('Key Prefix', `in ${CREDENTIAL} may not contain "." or ".." folders or empty ones (//); got "${raw.slice(0, 80)}". Use plain folder names such as spark-portrait/`);
	}
	return `${folders.join('/')}/`;
}

export function resolveStagingTarget(data: StagingCredentialData): StagingTarget {
	return {
		endpoint: endpointUrl(data.endpoint),
		region: text(data.region) || DEFAULT_STAGING_REGION,
		bucket: bucketName(data.bucket),
		keyPrefix: normalizeKeyPrefix(data.keyPrefix),
		pathStyle: data.pathStyle === true,
		keys: {
			accessKeyId: required(data.accessKeyId, 'Access Key ID'),
			secretAccessKey: secret(data.secretAccessKey),
		},
	};
}

/** One object's URL, or the bucket's (listings) without a key. Path style suits MinIO; virtual-hosted is AWS's default. */
export function objectUrl(target: StagingTarget, key?: string): URL {
	const { endpoint, bucket } = target;
	const base = endpoint.pathname.replace(/\/+$/, '');
	// Sent exactly as SigV4 canonicalises it, so no server re-encodes it differently.
	const encodedKey = key === undefined ? '' : key.split('/').map(uriEncode).join('/');
	if (target.pathStyle) return new URL(`${endpoint.origin}${base}/${uriEncode(bucket)}${key === undefined ? '' : `/${encodedKey}`}`);
	return new URL(`${endpoint.protocol}//${bucket}.${endpoint.host}${base}/${encodedKey}`);
}
