import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The importable example workflows in examples/. */
export function exampleWorkflows(): Array<{ id: string; name: string }> {
	return readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { id: string; name: string });
}
