/**
 * Another node that uses the S3 staging credential, as any workflow may (an HTTP Request node
 * with "Predefined Credential Type" does the same): it sends one request, described by its
 * parameters, through n8n's httpRequestWithAuthentication, so the credential's `authenticate`
 * alone decides what is signed. The answer's status and body come out as the item.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runNode, type RunNodeResult } from '../harness';
import { SparkPortraitS3StagingApi } from '../../credentials/SparkPortraitS3StagingApi.credentials';

export interface BucketRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	headers?: IDataObject;
	body?: string;
}

class BucketRequestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bucket Request',
		name: 'bucketRequest',
		group: ['transform'],
		version: 1,
		description: 'One request with the S3 staging credential',
		defaults: { name: 'Bucket Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sparkPortraitS3StagingApi', required: true }],
		properties: [{ displayName: 'Request', name: 'request', type: 'json', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const request = JSON.parse(this.getNodeParameter('request', 0) as string) as BucketRequest;
		const response = await this.helpers.httpRequestWithAuthentication.call(this, 'sparkPortraitS3StagingApi', {
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
		});
		return [[{ json: { statusCode: response.statusCode, body: String(response.body) } }]];
	}
}

/** Sends `request` with the staging credential `data` from a node of its own, through n8n's engine. */
export async function sendWithStagingCredential(data: ICredentialDataDecryptedObject, request: BucketRequest): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new BucketRequestNode(),
		nodeTypeName: 'test.bucketRequest',
		credentialTypes: [new SparkPortraitS3StagingApi()],
		credentials: { sparkPortraitS3StagingApi: data },
		parameters: { request: JSON.stringify(request) },
	});
}
