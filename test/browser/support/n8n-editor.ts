// A real n8n serving its editor: the packed package installed, credentials imported, an owner ready.
import { createN8nInstance, n8nRuntime, type N8nCredential, type N8nVersionKey } from '../../e2e/support/n8n';
import { freePort } from '../../e2e/support/n8n-env';
import { startN8nServer } from '../../e2e/support/server';

export interface N8nEditor {
	version: string;
	url: string;
	ownerEmail: string;
	ownerPassword: string;
	/** Stops n8n and removes its user folder; safe to call twice. */
	stop(): Promise<void>;
}

export interface N8nEditorOptions {
	packageTarball: string;
	credentials: N8nCredential[];
	/** Workflows to find in the editor (each with an `id` of at most 21 characters). */
	workflows?: object[];
}

export async function startN8nEditor(key: N8nVersionKey, options: N8nEditorOptions): Promise<N8nEditor> {
	const runtime = n8nRuntime(key);
	const instance = await createN8nInstance({ runtime, packageTarball: options.packageTarball });
	try {
		// Imported through the CLI before the server starts: both would write the same SQLite file.
		if (options.credentials.length > 0) await instance.importCredentials(options.credentials);
		await instance.importWorkflows(options.workflows ?? []);
		const server = await startN8nServer({ runtime, userFolder: instance.userFolder, port: await freePort() });
		let stopped = false;
		return {
			version: runtime.version,
			url: server.url,
			ownerEmail: server.ownerEmail,
			ownerPassword: server.ownerPassword,
			stop: async () => {
				if (stopped) return;
				stopped = true;
				try {
					await server.stop();
				} finally {
					await instance.dispose();
				}
			},
		};
	} catch (error) {
		await instance.dispose();
		throw error;
	}
}
