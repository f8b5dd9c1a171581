/**
 * The API's parameters as UI fields, shared by Edit Portrait and Create Task. Option lists and
 * defaults come from api/constants.ts, the same source the validation uses.
 */
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
import { IMAGE_SOURCE_URL, imageSourceField, inputBinaryField } from './imageSource';

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
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [{ name: 'Spark Edit Portrait', value: MODEL_ID }],
		default: MODEL_ID,
		description: 'The model that edits the portrait (sent as "model" on every request)',
	},
	imageSourceField,
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { imageSource: [IMAGE_SOURCE_URL] } },
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
		description: 'Face HD processing (gpen). Higher values give clearer faces; the default is recommended.',
	},
	{
		displayName: 'Skin Beautification',
		name: 'skin',
		type: 'options',
		options: strengthOptions,
		default: SKIN_DEFAULT,
		description: 'Face beautification (skin). Higher values give more obvious beautification; the default is recommended.',
	},
	{
		displayName: 'Skin Uniformity',
		name: 'skinUnifi',
		type: 'options',
		options: strengthOptions,
		default: SKIN_UNIFI_DEFAULT,
		description:
			'Skin uniformity (skin_unifi). Higher values give a more even skin tone and remove blemishes; the default is recommended.',
	},
	{
		displayName: 'Reference Mode',
		name: 'genMode',
		type: 'options',
		options: [
			{
				name: 'Auto',
				value: GEN_MODE_AUTO,
				description: 'Let the API choose: Creative when a prompt is given, Reference when the prompt is empty',
			},
			{
				name: 'Character Reference',
				value: 'reference_char',
				description: 'References the person (gender, clothing, hairstyle and more) but not the background',
			},
			{
				name: 'Creative',
				value: 'creative',
				description: 'Prompt mode: only references the gender of the person',
			},
			{
				name: 'Reference',
				value: 'reference',
				description: 'Full reference: the person (gender, clothing, hairstyle and more) and the background',
			},
		],
		default: GEN_MODE_AUTO,
		description: 'How much of the original photo the result keeps (gen_mode). A manual choice overrides the automatic switching.',
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: SEED_RANDOM,
		typeOptions: { minValue: SEED_RANDOM, numberPrecision: 0 },
		description:
			'Random seed for the initial diffusion state; -1 picks one at random. The same positive seed with the same other parameters most likely gives the same result.',
	},
];
