// jest's globalTeardown for the e2e project: stops the shared n8n that global-setup.ts started.
import './global-setup';

export default async function globalTeardown(): Promise<void> {
	await globalThis.sparkSharedN8nTeardown?.();
	globalThis.sparkSharedN8nTeardown = undefined;
}
