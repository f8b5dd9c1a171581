import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import { UnexpectedError } from 'n8n-workflow';
import type { INodeExecutionData } from 'n8n-workflow';

import { setupContainer } from './container';

/**
 * The bytes of an item's binary property, read the way this.helpers.getBinaryDataBuffer
 * reads them: from base64 in the item ('default' mode) or from the store (by id).
 */
export async function getBinaryBuffer(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (binary === undefined) {
		const present = Object.keys(item.binary ?? {}).join(', ') || 'none';
		throw new UnexpectedError(`Item has no binary property "${property}" (present: ${present})`);
	}
	await setupContainer();
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
