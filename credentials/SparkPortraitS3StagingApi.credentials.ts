import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { signBucketRequest } from '../nodes/SparkPortrait/staging/bucketRequest';
import { DEFAULT_STAGING_KEY_PREFIX, DEFAULT_STAGING_REGION } from '../nodes/SparkPortrait/api/paths';

const CHECK_KEYS = 'check the Access Key ID and the Secret Access Key, the Region, and that the key may list the Key Prefix (s3:ListBucket)';
const CHECK_PLACE = 'check Region and Endpoint: the bucket lives in another region or behind another address';

/**
 * An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Backblaze B2, Wasabi, DigitalOcean
 * Spaces) where Spark Portrait stages binary input images while their task runs. `authenticate`
 * signs what n8n hands it or refuses it (staging/bucketRequest.ts); the secret is never sent anywhere.
 * The test's listing proves the address, the bucket, the region and the keys, not write or delete.
 */
export class SparkPortraitS3StagingApi implements ICredentialType {
	name = 'sparkPortraitS3StagingApi';

	displayName = 'Spark Portrait S3 Staging API';

	icon = { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' } as const;

	// The repository's page on binary input, which exists before and after the first release.
	documentationUrl = 'https://github.com/OWNER-PLACEHOLDER/n8n-nodes-spark-portrait/blob/main/docs/binary-input-s3.md';

	properties: INodeProperties[] = [
		{
			displayName:
				'The Test button lists the Key Prefix (one signed request; the key needs s3:ListBucket on the prefix for it). It cannot prove that the key may write (s3:PutObject) and delete (s3:DeleteObject) objects under the prefix: the node checks those when it first uploads and deletes an image, and its error names the missing permission.',
			name: 'permissionsNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://s3.us-east-1.amazonaws.com',
			description:
				'The S3 API address of your storage service, e.g. https://s3.eu-west-1.amazonaws.com (AWS), https://ACCOUNT_ID.r2.cloudflarestorage.com (R2), http://minio.local:9000 (MinIO)',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: DEFAULT_STAGING_REGION,
			description: 'The bucket\'s region, used in the signature: the AWS region, "auto" for Cloudflare R2, usually "us-east-1" for MinIO',
		},
		{
			displayName: 'Bucket',
			name: 'bucket',
			type: 'string',
			required: true,
			default: '',
			description: 'The bucket staged images are written to. It can stay private: the API gets a link that expires.',
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			type: 'string',
			default: DEFAULT_STAGING_KEY_PREFIX,
			description:
				'Folder in the bucket for staged images, e.g. spark-portrait/ (no "." or ".." folders, no empty ones). The key needs s3:PutObject and s3:DeleteObject under it, and s3:ListBucket on it for the Test button.',
		},
		{
			displayName: 'Path-Style Addressing',
			name: 'pathStyle',
			type: 'boolean',
			default: false,
			description:
				'Whether to put the bucket in the path (https://endpoint/bucket/key) instead of the host name (https://bucket.endpoint/key). Turn on for MinIO and most self-hosted servers.',
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return signBucketRequest(credentials, requestOptions, new Date());
	}

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/', qs: { 'list-type': '2', 'max-keys': '1' } },
		rules: [
			{ type: 'responseCode', properties: { value: 403, message: `The bucket service refused the request (403): ${CHECK_KEYS}` } },
			{ type: 'responseCode', properties: { value: 404, message: 'The bucket was not found (404): check the Bucket name, the Endpoint and Path-Style Addressing' } },
			{ type: 'responseCode', properties: { value: 400, message: `The bucket service refused the request (400): ${CHECK_PLACE}` } },
			{ type: 'responseCode', properties: { value: 301, message: `The bucket service redirected the request (301): ${CHECK_PLACE}` } },
			{ type: 'responseCode', properties: { value: 307, message: `The bucket service redirected the request (307): ${CHECK_PLACE}` } },
		],
	};
}
