/**
 * The credential `npm start`, `npm run demo` and the queue stack write: as the editor saves one today,
 * so it reaches the address it names and a newcomer who opens it sees that address, not the notice
 * for credentials saved by an earlier version.
 */
import type { INodeProperties } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { resolveEndpoints } from '../../nodes/SparkPortrait/api/endpoints';
import { credentialData } from '../../scripts/quickstart/sparkTarget';

const properties = new SparkPortraitVtrixApi().properties;

/** The form's fields shown for these values, as n8n reads displayOptions: shown when every `show` rule matches, hidden when any `hide` rule does. */
function shownFields(data: Record<string, unknown>): string[] {
	const matches = (rules: Record<string, unknown[] | undefined> | undefined) =>
		Object.entries(rules ?? {}).map(([field, values]) => (values ?? []).includes(data[field] ?? properties.find((p) => p.name === field)?.default));
	const shown = (property: INodeProperties) => {
		const { show, hide } = property.displayOptions ?? {};
		if (show && !matches(show).every(Boolean)) return false;
		return !(hide && matches(hide).some(Boolean));
	};
	return properties.filter((property) => property.type !== 'hidden' && shown(property)).map((property) => property.name);
}

it('the simulator: Custom Endpoint on with its Base URL; the node sends there, the form shows it and no earlier-version notice', () => {
	const data = credentialData('sim-key', { baseUrl: 'http://127.0.0.1:8787' });
	expect(data).toEqual({ apiKey: 'sim-key', customEndpoint: true, customBaseUrl: 'http://127.0.0.1:8787' });
	expect(resolveEndpoints(data)).toMatchObject({ createTaskUrl: 'http://127.0.0.1:8787/model/v1/generation', requestFormat: 'vtrixClient' });
	expect(shownFields(data)).toContain('customBaseUrl');
	expect(shownFields(data)).not.toContain('savedEndpointNotice');
});

it('the notice check above can fail: the earlier way (a saved Base URL) shows the notice', () => {
	expect(shownFields({ apiKey: 'k', baseUrl: 'http://127.0.0.1:8787' })).toContain('savedEndpointNotice');
});

it("a key alone: Vtrix's defaults, Custom Endpoint left off", () => {
	const data = credentialData('real-key', { baseUrl: undefined, requestFormat: '' });
	expect(data).toEqual({ apiKey: 'real-key' });
	expect(resolveEndpoints(data).createTaskUrl).toBe('https://cloud.vtrix.ai/model/v1/generation');
	expect(shownFields(data)).not.toContain('savedEndpointNotice');
});

it('every endpoint variable goes to its Custom Endpoint field', () => {
	const data = credentialData('k', { baseUrl: 'https://gw.example', requestFormat: 'flat', createTaskPath: '/new', taskStatusPath: '/t/{taskId}' });
	expect(data).toEqual({
		apiKey: 'k',
		customEndpoint: true,
		customBaseUrl: 'https://gw.example',
		customRequestFormat: 'flat',
		customCreateTaskPath: '/new',
		customTaskStatusPath: '/t/{taskId}',
	});
	expect(resolveEndpoints(data)).toMatchObject({ createTaskUrl: 'https://gw.example/new', requestFormat: 'flat' });
	expect(resolveEndpoints(data).taskStatusUrl('a')).toBe('https://gw.example/t/a');
});
