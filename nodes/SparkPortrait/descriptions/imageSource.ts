import type { INodeProperties } from 'n8n-workflow';

import { IMAGE_LINK_EXPIRY, IMAGE_LINK_EXPIRY_DEFAULT } from './limits';

export const showForBinary = { show: { imageSource: ['binary'] } };
/** Options inside the collection refer to the top-level field by its root path. */
const showOptionForBinary = { show: { '/imageSource': ['binary'] } };

export const imageSourceField: INodeProperties = {
	displayName: 'Image Source',
	name: 'imageSource',
	type: 'options',
	options: [
		{
			name: 'Image URL',
			value: 'url',
			description: 'A public http(s) URL of the portrait',
		},
		{
			name: 'Binary Data',
			value: 'binary',
			description:
				'A file from an earlier node (form upload, Google Drive, Telegram...), staged in your S3-compatible bucket while the task runs',
		},
	],
	default: 'url',
	description: 'Whether the portrait is given as a URL or as binary data from an earlier node',
};

export const inputBinaryField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'inputBinaryField',
	type: 'string',
	required: true,
	default: 'data',
	displayOptions: showForBinary,
	hint: 'The name of the binary field that holds the portrait',
	description:
		'Binary field of the input item with the portrait: JPG or PNG, at most 5 MB and 4096 x 4096 pixels. It is uploaded to the bucket of the S3 staging credential and the API gets a link that expires.',
};

export const imageLinkExpiryOption: INodeProperties = {
	displayName: 'Image Link Expiry (Minutes)',
	name: 'imageLinkExpiry',
	type: 'number',
	default: IMAGE_LINK_EXPIRY_DEFAULT,
	typeOptions: { minValue: IMAGE_LINK_EXPIRY.minMinutes, maxValue: IMAGE_LINK_EXPIRY.maxMinutes, numberPrecision: 0 },
	displayOptions: showOptionForBinary,
	description: `How long the link the API gets to the staged image works, from ${IMAGE_LINK_EXPIRY.minMinutes} minute to 7 days`,
};

export const deleteStagedImageOption: INodeProperties = {
	displayName: 'Delete Staged Image',
	name: 'deleteStagedImage',
	type: 'boolean',
	default: true,
	displayOptions: showOptionForBinary,
	description:
		'Whether to delete the staged image from the bucket when the task ends (completed, failed, timed out or cancelled)',
};
