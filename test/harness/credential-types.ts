import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The credential types of one run, looked up by name (n8n's CredentialTypes, in memory). */
export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[]) {
		for (const type of types) this.types.set(type.name, type);
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (type === undefined) {
			throw new UnexpectedError(`Unknown credential type "${name}"`);
		}
		return type;
	}

	/** All ancestors via `extends`, nearest first. Unknown ancestors (e.g. oAuth2Api) still count. */
	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** Properties with those of the parents merged in, child first (as the CLI does). */
	getProperties(name: string): INodeProperties[] {
		const type = this.getByName(name);
		if (type.extends === undefined) return type.properties;
		const merged: INodeProperties[] = [];
		for (const parent of type.extends) {
			if (this.recognizes(parent)) {
				NodeHelpers.mergeNodeProperties(merged, this.getProperties(parent));
			}
		}
		NodeHelpers.mergeNodeProperties(merged, type.properties);
		return merged;
	}
}
