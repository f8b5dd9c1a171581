import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';

// Same type name as n8n-nodes-base's node, which is not installed here.
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const MANUAL_TRIGGER_NAME = 'When clicking ‘Execute workflow’';

const description: INodeTypeDescription = {
	displayName: 'Manual Trigger',
	name: 'manualTrigger',
	group: ['trigger'],
	version: 1,
	description: 'Runs the flow on clicking a button in n8n',
	defaults: { name: MANUAL_TRIGGER_NAME },
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
};

/** A file an input item carries as binary data. */
export interface InputFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** Binary fields per input item (same index as the JSON items). */
export type InputBinary = Array<Record<string, InputFile> | undefined>;

/**
 * A stand-in for n8n-nodes-base's ManualTrigger. The real one emits one empty item;
 * this one emits `items` so a test can feed any input into the node under test.
 * It goes through the same path: WorkflowExecute -> TriggersAndPollers ->
 * manualTriggerFunction -> emit.
 */
export function createManualTrigger(items: IDataObject[], binary: InputBinary = []): INodeType {
	return {
		description,
		async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
			const manualTriggerFunction = async (): Promise<void> => {
				const output = this.helpers.returnJsonArray(structuredClone(items));
				// Files go through n8n's binary data service, so the configured mode (inline or filesystem) applies.
				for (const [index, files] of binary.entries()) {
					if (!files || !output[index]) continue;
					output[index].binary = {};
					for (const [field, file] of Object.entries(files)) {
						output[index].binary[field] = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
					}
				}
				this.emit([output]);
			};
			return { manualTriggerFunction };
		},
	};
}
