import { resolveEndpoints } from '../../nodes/SparkPortrait/api/endpoints';
import { InputError } from '../../nodes/SparkPortrait/api/validation';

describe('resolveEndpoints', () => {
	it('joins the base URL and the default paths', () => {
		const endpoints = resolveEndpoints({ apiKey: 'k', baseUrl: 'https://api.example.com/' });
		expect(endpoints.createTaskUrl).toBe('https://api.example.com/v1/portrait/tasks');
		expect(endpoints.taskStatusUrl('t 1/2')).toBe('https://api.example.com/v1/portrait/tasks/t%201%2F2');
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
		[{ apiKey: '', baseUrl: 'https://a' }, 'API Key (Spark API credential)'],
		[{ apiKey: 'k', baseUrl: '' }, 'Base URL (Spark API credential) is empty'],
		[{ apiKey: 'k', baseUrl: 'api.example.com' }, 'must start with http:// or https://'],
		[{ apiKey: 'k', baseUrl: 'https://a', taskStatusPath: '/tasks' }, 'must contain {taskId}'],
	])('refuses %j', (credentials, message) => {
		expect(() => resolveEndpoints(credentials)).toThrow(InputError);
		expect(() => resolveEndpoints(credentials)).toThrow(message);
	});
});
