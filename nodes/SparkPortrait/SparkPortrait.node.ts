import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as create from './actions/create.operation';
import * as createAndWait from './actions/createAndWait.operation';
import * as getStatus from './actions/getStatus.operation';
import { route, type RouteOptions } from './actions/router';
import { showForBinary } from './descriptions/imageSource';

export class SparkPortrait implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Spark Portrait',
		name: 'sparkPortrait',
		icon: { light: 'file:sparkPortrait.svg', dark: 'file:sparkPortrait.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"createAndWait": "Edit Portrait", "create": "Create Task", "getStatus": "Get Task Status"}[$parameter["operation"]] }}',
		description: 'Edit portraits with Vtrix\'s Spark Edit Portrait model: restyle a photo of one person from a prompt',
		defaults: { name: 'Spark Portrait' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'sparkPortraitVtrixApi', required: true },
			{ name: 'sparkPortraitS3StagingApi', required: true, displayOptions: showForBinary },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create Task',
						value: 'create',
						action: 'Create a portrait edit task',
						description: 'Start an edit and return its task ID at once, for long workflows that wait elsewhere',
					},
					{
						name: 'Edit Portrait',
						value: 'createAndWait',
						action: 'Edit a portrait',
						description:
							'Edit a portrait photo and wait for the result: returns the edited image URL, its cost, and the image as binary data',
					},
					{
						name: 'Get Task Status',
						value: 'getStatus',
						action: 'Get the status of a portrait edit task',
						description: 'Read a task once; a completed task returns the edited image like Edit Portrait',
					},
				],
				default: 'createAndWait',
			},
			...createAndWait.description,
			...create.description,
			...getStatus.description,
		],
	};

	/** n8n calls it with the execution as `this`. */
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	constructor(options: RouteOptions = {}) {
		this.execute = async function (this: IExecuteFunctions) {
			return await route.call(this, options);
		};
	}
}
