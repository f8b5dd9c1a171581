/** The API's parameters as fields for Edit Portrait and Create Task; lists and defaults are the validation's (api/constants.ts). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	DEFAULT_PROMPT,
	GEN_MODE_AUTO,
	GPEN_DEFAULT,
	MODEL_ID,
	PROMPT_MAX_CHARS,
	SEED_RANDOM,
	SIZE_DEFAULT,
	SIZE_MAX,
	SIZE_MIN,
	SKIN_DEFAULT,
	SKIN_UNIFI_DEFAULT,
	STRENGTH_OPTIONS,
} from '../api/constants';
import { imageSourceField, inputBinaryField } from './imageSource';

const strengthOptions: INodePropertyOptions[] = STRENGTH_OPTIONS.map((value) => ({
	name: value.toFixed(1),
	value,
}));

function sizeField(displayName: string, name: 'width' | 'height'): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		default: SIZE_DEFAULT,
		typeOptions: { minValue: SIZE_MIN, maxValue: SIZE_MAX, numberPrecision: 0 },
		description: `${displayName} of the generated image in pixels, from ${SIZE_MIN} to ${SIZE_MAX}`,
	};
}

export const portraitFields: INodeProperties[] = [
	// One model, so no field to choose it; kept (hidden) under its name so saved workflows that hold it still load.
	{
		displayName: 'Model',
		name: 'model',
		type: 'hidden',
		default: MODEL_ID,
	},
	imageSourceField,
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { imageSource: ['url'] } },
		placeholder: 'https://example.com/portrait.jpg',
		description:
			'Public http(s) URL of the portrait to edit: JPG (recommended) or PNG, at most 5 MB and 4096 x 4096 pixels, with exactly one face, ideally frontal and unobstructed',
	},
	inputBinaryField,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_PROMPT,
		description:
			`Describes the scene of the new image, at most ${PROMPT_MAX_CHARS} characters. With a prompt, Auto reference mode uses Creative (only the gender of the person is kept); leave it empty to keep more of the original photo.`,
	},
	sizeField('Width', 'width'),
	sizeField('Height', 'height'),
	{
		displayName: 'HD Effect',
		name: 'gpen',
		type: 'options',
		options: strengthOptions,
		default: GPEN_DEFAULT,
		description: 'How much the face is sharpened and restored. Higher values give a clearer face.',
	},
	{
		displayName: 'Skin Beautification',
		name: 'skin',
		type: 'options',
		options: strengthOptions,
		default: SKIN_DEFAULT,
		description: 'How much the skin is smoothed. Higher values give a more obvious beautification.',
	},
	{
		displayName: 'Skin Uniformity',
		name: 'skinUnifi',
		type: 'options',
		options: strengthOptions,
		default: SKIN_UNIFI_DEFAULT,
		description: 'How much the skin tone is evened out. Higher values give a more even tone and remove blemishes.',
	},
	{
		displayName: 'Reference Mode',
		name: 'genMode',
		type: 'options',
		options: [
			{
				name: 'Auto',
				value: GEN_MODE_AUTO,
				description: 'Creative when there is a prompt, Reference when the prompt is empty',
			},
			{
				name: 'Character Reference',
				value: 'reference_char',
				description: 'Keeps the person (gender, clothing, hairstyle and more) but not the background',
			},
			{
				name: 'Creative',
				value: 'creative',
				description: 'Follows the prompt and keeps only the person\'s gender',
			},
			{
				name: 'Reference',
				value: 'reference',
				description: 'Keeps the person (gender, clothing, hairstyle and more) and the background',
			},
		],
		default: GEN_MODE_AUTO,
		description: 'How much of the original photo the result keeps. Auto decides from the prompt; any other choice always applies.',
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: SEED_RANDOM,
		typeOptions: { minValue: SEED_RANDOM, numberPrecision: 0 },
		description:
			'Fixes the randomness of the edit: the same seed with the same other settings most likely gives the same picture. -1 picks a new one each time.',
	},
];
