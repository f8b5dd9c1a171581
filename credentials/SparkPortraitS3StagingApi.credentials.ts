import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_STAGING_KEY_PREFIX, DEFAULT_STAGING_REGION } from '../nodes/SparkPortrait/api/paths';

/**
 * An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Backblaze B2, Wasabi, DigitalOcean
 * Spaces) where Spark Portrait stages binary input images while their task runs. Requests are
 * signed with AWS Signature Version 4 by the node; the secret is never sent anywhere.
 *
 * The credential test is the node's (`testedBy`): it writes a small object and deletes it again,
 * which one declarative request could not do.
 */
export class SparkPortraitS3StagingApi implements ICredentialType {
	name = 'sparkPortraitS3StagingApi';

	displayName = 'Spark Portrait S3 Staging API';

	icon = { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-spark-portrait#binary-input-s3-staging';

	properties: INodeProperties[] = [
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
			description: 'Folder in the bucket for staged images; the key only needs permission to write and delete under it',
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
}
