import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { BinaryEntry } from './raw-output';

const FILESYSTEM_PREFIX = 'filesystem-v2:';
// Default storage folder under `<userFolder>/.n8n`: 1.x `binaryData`, 2.x `storage`.
const STORAGE_FOLDERS = ['binaryData', 'storage'];

/**
 * Bytes of a binary entry from a run: inline base64 (1.x default, or N8N_DEFAULT_BINARY_DATA_MODE=default),
 * or a file that n8n wrote in filesystem mode (2.x default; `data` then holds only 'filesystem-v2').
 */
export async function readBinaryEntry(userFolder: string, entry: BinaryEntry): Promise<Buffer> {
	if (entry.id?.startsWith(FILESYSTEM_PREFIX)) {
		const relative = entry.id.slice(FILESYSTEM_PREFIX.length);
		const candidates = STORAGE_FOLDERS.map((folder) => path.join(userFolder, '.n8n', folder, relative));
		const file = candidates.find((candidate) => existsSync(candidate));
		if (!file) throw new Error(`binary ${entry.id} not found; looked in:\n${candidates.join('\n')}`);
		return readFile(file);
	}
	if (entry.id) throw new Error(`binary ${entry.id}: storage mode not supported here`);
	if (typeof entry.data !== 'string') throw new Error('binary entry has neither id nor inline data');
	return Buffer.from(entry.data, 'base64');
}
