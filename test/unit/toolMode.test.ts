import type { INodeProperties } from 'n8n-workflow';

import { withToolDefaults } from '../../nodes/SparkPortrait/descriptions/toolMode';
import { outputSettings, waitSettings } from '../../nodes/SparkPortrait/descriptions/settings';

describe('defaults when an AI Agent uses the node as a tool', () => {
	it('waits 120 s instead of 600 s, unless Wait Timeout is set', () => {
		expect(waitSettings({}, true).timeoutMs).toBe(120_000);
		expect(waitSettings({}, false).timeoutMs).toBe(600_000);
		expect(waitSettings({ waitTimeout: 900 }, true).timeoutMs).toBe(900_000);
	});

	it('does not download the image, unless Download Image is set', () => {
		expect(outputSettings({}, true).download).toBe(false);
		expect(outputSettings({}, false).download).toBe(true);
		expect(outputSettings({ downloadImage: true }, true).download).toBe(true);
		expect(outputSettings({ downloadImage: false }, false).download).toBe(false);
	});
});

describe('withToolDefaults', () => {
	const imageUrl: INodeProperties = {
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { imageSource: ['url'] } },
	};
	const width: INodeProperties = { displayName: 'Width', name: 'width', type: 'number', default: 1328 };

	it('adds a $fromAI variant shown only in the tool, and hides the plain field there', () => {
		const [plain, tool, other] = withToolDefaults([imageUrl, width]);
		expect(plain).toMatchObject({ default: '', displayOptions: { show: { imageSource: ['url'] }, hide: { '@tool': [true] } } });
		expect(tool.displayOptions).toEqual({ show: { imageSource: ['url'], '@tool': [true] } });
		expect(tool.default).toMatch(/^=\{\{ \$fromAI\('imageUrl', `Public http\(s\) URL[^`]+`, 'string'\) \}\}$/);
		expect(other).toBe(width);
	});
});
