/**
 * Which API the quick start and the demo talk to: Vtrix's when SPARK_API_KEY is set (the credential's
 * defaults point at Vtrix; SPARK_BASE_URL, SPARK_REQUEST_FORMAT and the path variables override
 * them), otherwise the simulator on loopback, with the credential's defaults except the Base URL.
 * The credential is written as the editor saves one today: an address other than Vtrix's goes in the
 * Custom Endpoint fields, so a newcomer who opens it sees the simulator's URL, not the notice meant
 * for credentials saved by an earlier version.
 */
import { CUSTOM_ENDPOINT_FIELDS, DEFAULT_BASE_URL } from '../../nodes/SparkPortrait/api/paths';
import { startSimulator, type SimulatorHandle } from '../../test/simulator';

export const CREDENTIAL_ID = 'sparkPortraitVtrixApiDefault';
export const CREDENTIAL_NAME = 'Vtrix API';
/** The examples name this URL; it is the simulator's default address. */
export const EXAMPLE_SIMULATOR_URL = 'http://127.0.0.1:8787';

export interface SparkTarget {
	kind: 'simulator' | 'real';
	baseUrl: string;
	apiKey: string;
	simulator?: SimulatorHandle;
	credential: { id: string; name: string; type: string; data: Record<string, string | boolean> };
	close(): Promise<void>;
}

type EndpointField = keyof Omit<typeof CUSTOM_ENDPOINT_FIELDS, 'toggle'>;

/** The Vtrix API credential's fields: Custom Endpoint turned on when any endpoint field is given, else Vtrix's defaults. */
export function credentialData(apiKey: string, endpoint: Partial<Record<EndpointField, string>> = {}): Record<string, string | boolean> {
	const given = Object.entries(endpoint).filter((entry): entry is [EndpointField, string] => Boolean(entry[1]));
	if (given.length === 0) return { apiKey };
	return { apiKey, [CUSTOM_ENDPOINT_FIELDS.toggle]: true, ...Object.fromEntries(given.map(([field, value]) => [CUSTOM_ENDPOINT_FIELDS[field], value])) };
}

export async function sparkTarget(options: { port?: number; taskDurationMs?: number } = {}): Promise<SparkTarget> {
	const { SPARK_API_KEY: apiKey, SPARK_BASE_URL: baseUrl } = process.env;
	const credential = (data: Record<string, string | boolean>) => ({ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'sparkPortraitVtrixApi', data });
	if (apiKey) {
		const custom = {
			baseUrl,
			requestFormat: process.env.SPARK_REQUEST_FORMAT,
			createTaskPath: process.env.SPARK_CREATE_PATH,
			taskStatusPath: process.env.SPARK_STATUS_PATH,
		};
		return { kind: 'real', baseUrl: baseUrl ?? DEFAULT_BASE_URL, apiKey, credential: credential(credentialData(apiKey, custom)), close: async () => undefined };
	}
	const simulator = await startSimulator({ port: options.port ?? 0, taskDurationMs: options.taskDurationMs ?? 4000, imageWork: 'realistic' });
	return {
		kind: 'simulator',
		baseUrl: simulator.url,
		apiKey: simulator.apiKey,
		simulator,
		credential: credential(credentialData(simulator.apiKey, { baseUrl: simulator.url })),
		close: () => simulator.close(),
	};
}

/** An example workflow with its simulator URL pointed at where the simulator really listens. */
export function withBaseUrl<T>(workflow: T, url: string): T {
	return JSON.parse(JSON.stringify(workflow).split(EXAMPLE_SIMULATOR_URL).join(url)) as T;
}

/** The target on the simulator's usual port 8787, or on any free port when 8787 is taken. */
export async function localSparkTarget(port = 8787): Promise<SparkTarget> {
	try {
		return await sparkTarget({ port });
	} catch {
		// The examples are rewritten to wherever it listens (withBaseUrl).
		return await sparkTarget({ port: 0 });
	}
}
