/**
 * The node as an AI Agent's tool ("Spark Portrait Tool"): the description the model reads, and the
 * fields it fills. n8n builds the tool's parameter schema from the $fromAI calls in the parameters,
 * so these defaults give an agent a working tool the moment it is attached.
 */
import type { INodeProperties } from 'n8n-workflow';

import { PROMPT_MAX_CHARS } from '../api/constants';

const inTool = { '@tool': [true] };

/** The text of a `$fromAI` call; backticks hold the description so it may contain quotes. */
function fromAi(key: string, description: string): string {
	return `={{ $fromAI('${key}', \`${description}\`, 'string') }}`;
}

/** What the model reads about each portrait field it fills, by field name. */
const MODEL_FILLED: Record<string, string> = {
	imageUrl: 'Public http(s) URL of the photo to edit: a JPG or PNG of one person, at most 5 MB and 4096 x 4096 pixels',
	prompt:
		`The new scene or style for the person, in a few words (at most ${PROMPT_MAX_CHARS} characters), ` +
		'e.g. "studio portrait, soft light" or "on a beach at sunset"',
	taskId: 'The taskId that starting a portrait edit returned',
};

/** A field the model fills appears twice: as it is outside the tool, and with a `$fromAI` default in it. */
export function withToolDefaults(fields: INodeProperties[]): INodeProperties[] {
	return fields.flatMap((field) => {
		const description = MODEL_FILLED[field.name];
		if (description === undefined) return [field];
		const hide = { ...field.displayOptions?.hide, ...inTool };
		const show = { ...field.displayOptions?.show, ...inTool };
		return [
			{ ...field, displayOptions: { ...field.displayOptions, hide } },
			{ ...field, default: fromAi(field.name, description), displayOptions: { ...field.displayOptions, show } },
		];
	});
}

/**
 * The tool's description for the model; n8n's own would be "<action> in Spark Portrait". Defining
 * `toolDescription` also stops n8n from adding its own description fields to the tool.
 */
export function toolDescriptionField(text: string): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: text,
		displayOptions: { show: inTool },
		description: 'What the AI agent reads about this tool: when to use it, what to pass and what it returns',
	};
}

export const EDIT_TOOL_DESCRIPTION =
	'Edits a photo of one person: give the image URL of the portrait and a prompt describing the new scene or style. ' +
	'Waits for the result and returns imageUrl (the edited image), taskId, status and usage.cost.';

export const CREATE_TOOL_DESCRIPTION =
	'Starts editing a photo of one person without waiting: give the image URL of the portrait and a prompt describing ' +
	'the new scene or style. Returns the taskId and status; the edited image comes later from the task status.';

export const STATUS_TOOL_DESCRIPTION =
	'Reads a portrait edit task by its taskId: returns status (pending, processing, completed, failed), and when ' +
	'completed the imageUrl of the edited image and usage.cost.';
