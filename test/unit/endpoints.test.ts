import { resolveEndpoints } from '../../nodes/SparkPortrait/api/endpoints';
import { InputError } from '../../nodes/SparkPortrait/errors/failures';

describe('resolveEndpoints', () => {
	it("joins the base URL and Vtrix's paths, the defaults, with Vtrix's client's request format", () => {
		const endpoints = resolveEndpoints({ apiKey: 'k', baseUrl: 'https://cloud.vtrix.ai/' });
		expect(endpoints.createTaskUrl).toBe('https://cloud.vtrix.ai/model/v1/generation');
		expect(endpoints.taskStatusUrl('t 1/2')).toBe('https://cloud.vtrix.ai/model/v1/generation/task/t%201%2F2');
		expect(endpoints.requestFormat).toBe('vtrixClient');
	});

	it.each([['flat', 'flat'], ['vtrixClient', 'vtrixClient'], ['', 'vtrixClient']])('reads Request Format %j as %s', (requestFormat, expected) => {
		expect(resolveEndpoints({ apiKey: 'k', baseUrl: 'https://a', requestFormat }).requestFormat).toBe(expected);
	});

	it('uses custom paths', () => {
		const endpoints = resolveEndpoints({
			apiKey: 'k',
			baseUrl: 'http://127.0.0.1:8787/api',
			createTaskPath: 'generate',
			taskStatusPath: '/status?id={taskId}',
		});
		expect(endpoints.createTaskUrl).toBe('http://127.0.0.1:8787/api/generate');
		expect(endpoints.taskStatusUrl('abc')).toBe('http://127.0.0.1:8787/api/status?id=abc');
	});

	it.each([
		[{ apiKey: '', baseUrl: 'https://a' }, 'API Key (Vtrix API credential)'],
		[{ apiKey: 'k', baseUrl: '' }, 'Base URL (Vtrix API credential) is empty'],
		[{ apiKey: 'k', baseUrl: 'api.example.com' }, 'must start with http:// or https://'],
		[{ apiKey: 'k', baseUrl: 'https://a', taskStatusPath: '/tasks' }, 'must contain {taskId}'],
		[{ apiKey: 'k', baseUrl: 'https://a', requestFormat: 'wrapped' }, 'Request Format (Vtrix API credential) must be one of vtrixClient, flat; got "wrapped"'],
	])('refuses %j', (credentials, message) => {
		expect(() => resolveEndpoints(credentials)).toThrow(InputError);
		expect(() => resolveEndpoints(credentials)).toThrow(message);
	});
});
