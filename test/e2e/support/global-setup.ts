// jest's globalSetup for the e2e project: the shared n8n 1.x and 2.x start here (see shared-n8n.ts).
import { startSharedN8n } from './shared-n8n';

declare global {
	// Read back by global-teardown.ts, which jest runs in the same process.
	var sparkSharedN8nTeardown: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
	globalThis.sparkSharedN8nTeardown = await startSharedN8n();
}
