/**
 * S3-compatible services answer errors with a small XML document (<Error><Code>…</Code>
 * <Message>…</Message></Error>). Only the code and the message are read: the rest can echo the
 * request (a string to sign, a key id) and has no place in a message.
 */
export interface S3ErrorInfo {
	code?: string;
	message?: string;
}

function element(xml: string, name: string): string | undefined {
	const match = new RegExp(`<${name}>([^<]{0,300})</${name}>`).exec(xml);
	return match?.[1].trim() || undefined;
}

export function parseS3Error(body: Buffer | string | undefined): S3ErrorInfo {
	const xml = (Buffer.isBuffer(body) ? body.toString('utf8') : body ?? '').slice(0, 10_000);
	return { code: element(xml, 'Code'), message: element(xml, 'Message') };
}

/** Which request of the node needs which permission: the credential's Test button can prove neither. */
const PERMISSIONS = {
	upload: { verb: 'write', action: 's3:PutObject', instead: '' },
	delete: { verb: 'delete', action: 's3:DeleteObject', instead: ', or turn Delete Staged Image off' },
} as const;

/**
 * What to do about the errors a staging upload or delete meets most often. A refusal for want of
 * permission names the one the request needed, under the Key Prefix it was for.
 */
export function s3ErrorHint(statusCode: number, code: string | undefined, request?: { operation: keyof typeof PERMISSIONS; keyPrefix: string }): string {
	if (request && (code === 'AccessDenied' || (code === undefined && statusCode === 403))) {
		const { verb, action, instead } = PERMISSIONS[request.operation];
		const where = request.keyPrefix === '' ? 'in the bucket' : `under ${request.keyPrefix}`;
		return `The key may not ${verb} objects ${where} (${action}): allow it in the key's policy${instead}.`;
	}
	switch (code) {
		case 'SignatureDoesNotMatch':
			return 'The bucket service refused the signature: check the Secret Access Key and the Region in the S3 staging credential.';
		case 'InvalidAccessKeyId':
			return 'The bucket service does not know this Access Key ID: check it in the S3 staging credential.';
		case 'AccessDenied':
			return 'The key has no permission for this: it needs s3:PutObject, s3:GetObject and s3:DeleteObject on the key prefix (see the README).';
		case 'NoSuchBucket':
			return 'The bucket does not exist: check the Bucket name (and the Endpoint) in the S3 staging credential.';
		case 'AuthorizationHeaderMalformed':
		case 'PermanentRedirect':
		case 'IllegalLocationConstraintException':
			return 'The bucket lives in another region or needs another endpoint: check Region and Endpoint in the S3 staging credential.';
		default:
			if (statusCode === 301 || statusCode === 307) return 'The bucket service redirected the request: check Region, Endpoint and Path-Style Addressing in the S3 staging credential.';
			if (statusCode === 403) return 'The bucket service refused the request: check the keys and their permissions (s3:PutObject, s3:GetObject, s3:DeleteObject).';
			if (statusCode === 404) return 'Not found: check the Bucket name, the Endpoint and Path-Style Addressing in the S3 staging credential.';
			return statusCode >= 500 ? 'The bucket service had a problem; try again later.' : 'Check the S3 staging credential.';
	}
}
