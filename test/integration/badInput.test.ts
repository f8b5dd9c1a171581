/**
 * The bad-input table: every case is refused with a message naming the field (and what it
 * accepts), and not one request reaches the create endpoint, so nothing is billed.
 */
import type { INodeParameters } from 'n8n-workflow';

import { API_KEY, credentialFor, everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

type Case = [name: string, parameters: INodeParameters, expected: string];

const generated = (name: string) => () => `${simulator().url}/fixtures/generated/${name}`;

const parameterCases: Case[] = [
	['width below 512', { width: 511 }, 'Width (width) must be a whole number of pixels from 512 to 2048; got 511'],
	['width above 2048', { width: 2049 }, 'Width (width) must be a whole number of pixels from 512 to 2048; got 2049'],
	['width not a number', { width: '={{ "wide" }}' }, 'Width (width) must be a whole number of pixels from 512 to 2048; got "wide"'],
	['width with a fraction', { width: 1000.5 }, 'Width (width) must be a whole number'],
	['height 0', { height: 0 }, 'Height (height) must be a whole number of pixels from 512 to 2048; got 0'],
	['height 4000', { height: 4000 }, 'Height (height) must be a whole number of pixels from 512 to 2048; got 4000'],
	['gpen between options', { gpen: 0.45 }, 'HD Effect (gpen) must be one of 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1; got 0.45'],
	['gpen above 1', { gpen: 1.5 }, 'HD Effect (gpen) must be one of 0, 0.1'],
	['skin below 0', { skin: -0.1 }, 'Skin Beautification (skin) must be one of 0, 0.1'],
	['skin not a number', { skin: '={{ "soft" }}' }, 'Skin Beautification (skin) must be one of 0, 0.1'],
	['skin_unifi off the list', { skinUnifi: 0.33 }, 'Skin Uniformity (skin_unifi) must be one of 0, 0.1'],
	['gen_mode off the list', { genMode: 'portrait' }, 'Reference Mode (gen_mode) must be one of auto, creative, reference, reference_char; got "portrait"'],
	['seed with a fraction', { seed: 1.5 }, 'Seed (seed) must be -1 (random) or a whole number of 0 or more; got 1.5'],
	['seed below -1', { seed: -5 }, 'Seed (seed) must be -1 (random) or a whole number of 0 or more; got -5'],
	['seed not a number', { seed: '={{ "lucky" }}' }, 'Seed (seed) must be -1 (random) or a whole number'],
	['a prompt over 2000 characters', { prompt: 'x'.repeat(2001) }, 'Prompt (prompt) must be at most 2000 characters; got 2001'],
	['a 20 MB prompt from an expression', { prompt: '={{ "x".repeat(20 * 1024 * 1024) }}' }, 'Prompt (prompt) must be at most 2000 characters; got 20971520'],
	['another model', { model: '={{ "spark_other" }}' }, 'Model (model) must be spark_edit_portrait; got "spark_other"'],
	['whitespace image URL', { imageUrl: '   ' }, 'Image URL (image_input) is required'],
	['file: URL', { imageUrl: 'file:///etc/passwd' }, 'Image URL (image_input) must use http:// or https://; got a file: URL'],
	['ftp: URL', { imageUrl: 'ftp://example.com/face.jpg' }, 'Image URL (image_input) must use http:// or https://; got a ftp: URL'],
	['javascript: URL', { imageUrl: 'javascript:alert(1)' }, 'Image URL (image_input) must use http:// or https://; got a javascript: URL'],
	['relative URL', { imageUrl: '/images/face.jpg' }, 'Image URL (image_input) must be an absolute http:// or https:// URL'],
	['URL without a scheme', { imageUrl: 'example.com/face.jpg' }, 'Image URL (image_input) must be an absolute http:// or https:// URL'],
];

const imageCases: Array<[name: string, url: () => string, expected: string]> = [
	['an image over 5 MB', generated('large.jpg'), 'Image URL (image_input) points to a 7.1 MB file; the API accepts at most 5 MB'],
	['an image over 4096 x 4096', generated('huge.png'), 'Image URL (image_input) points to a 4100 x 4100 image; the API accepts at most 4096 x 4096 pixels'],
	['a GIF', generated('image.gif'), 'Image URL (image_input) points to a GIF image; the API accepts only JPG/JPEG or PNG'],
	['a WebP', generated('image.webp'), 'Image URL (image_input) points to a WEBP image; the API accepts only JPG/JPEG or PNG'],
	['a text file', generated('not-an-image.txt'), 'Image URL (image_input) points to not a JPG or PNG image'],
];

function expectRefused(error: Error | undefined, expected: string) {
	expect(error?.message).toContain(expected);
	expect(simulator().requestsTo('create')).toHaveLength(0);
}

describe('bad parameters are refused before any request', () => {
	it.each(parameterCases)('%s', async (_name, parameters, expected) => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()), ...parameters } });
		expectRefused(result.error, expected);
		expect(simulator().requestsTo('status')).toHaveLength(0);
		expect((result.error as Error & { description?: string }).description).toContain('nothing was billed');
	});

	it.each(parameterCases.slice(0, 3))('Create Task refuses %s too', async (_name, parameters, expected) => {
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()), ...parameters } });
		expectRefused(result.error, expected);
	});
});

describe('Check Image First refuses a bad input image before the task is created', () => {
	it.each(imageCases)('%s', async (_name, url, expected) => {
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: url(), options: { checkImage: true } } });
		expectRefused(result.error, expected);
	});

	it('lets a good image through', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator(), 'portrait.png'), options: { checkImage: true } } });
		expect(result.error).toBeUndefined();
		expect(simulator().requestsTo('create')).toHaveLength(1);
	});
});

describe('bad credentials and task ids are refused before any request', () => {
	it.each<[string, Record<string, string>, string]>([
		['an empty API key', { apiKey: '' }, 'API Key (Vtrix API credential) is empty'],
		['a base URL without a scheme', { baseUrl: '127.0.0.1:8787' }, 'Base URL (Vtrix API credential) must start with http:// or https://'],
		['an empty base URL', { baseUrl: '' }, 'Base URL (Vtrix API credential) is empty'],
		['a status path without {taskId}', { taskStatusPath: '/v1/tasks' }, 'Task Status Path (Vtrix API credential) must contain {taskId}'],
	])('%s', async (_name, overrides, expected) => {
		const result = await runSpark(simulator(), {
			parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) },
			credential: credentialFor(simulator(), overrides),
		});
		expect(result.error?.message).toContain(expected);
		expect(simulator().requests).toHaveLength(0);
	});

	it.each([
		['a task id with a slash', 'a/b', 'Task ID must not contain spaces, "/", "?" or "#"'],
		['a whitespace task id', '={{ " " }}', 'Task ID is required'],
		['the task id ".."', '..', 'Task ID must not be only dots'],
		['the task id "."', '.', 'Task ID must not be only dots'],
		['a task id with half a character pair', 'task_\ud800x', 'Task ID must be valid Unicode text, but it holds half of a character pair (U+D800) at position 6, which no URL can carry; got "task_\\ud800x"'],
	])('%s', async (_name, taskId, expected) => {
		const result = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId } });
		expect(result.error?.message).toContain(expected);
		expect(simulator().requests).toHaveLength(0);
	});

	it('an operation the node does not have (e.g. from a workflow file edited by hand)', async () => {
		const result = await runSpark(simulator(), { parameters: { operation: 'constructor', imageUrl: fixtureUrl(simulator()) } });
		expect(result.error?.message).toBe('The operation "constructor" is not known');
		expect(simulator().requests).toHaveLength(0);
	});

	// These credentials hold the real key, and the node has read it before it refuses them.
	it.each<[string, Record<string, string>, string]>([
		['a base URL without a scheme', { baseUrl: '127.0.0.1:8787' }, 'Base URL (Vtrix API credential) must start with http:// or https://'],
		['a status path without {taskId}', { taskStatusPath: '/v1/tasks' }, 'Task Status Path (Vtrix API credential) must contain {taskId}'],
	])('never shows the key when it refuses %s', async (_name, overrides, expected) => {
		const credential = credentialFor(simulator(), overrides);
		expect(credential.apiKey).toBe(API_KEY);
		const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) }, credential });
		expect(everyText(result)).not.toContain(API_KEY);
		expect(result.error?.message).toContain(expected);
	});
});
