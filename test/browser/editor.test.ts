/**
 * The packed package in real n8n's editor (2.41.x on Node 24, then 1.123.x on Node 22), driven with
 * headless Chromium as a person would: sign in, add Spark Portrait from the nodes panel, read its
 * parameter panel, pick the credential, and find the node among an AI Agent's tools. The screenshots
 * of 2.x go to out/screenshots (docs/images with `npm run screenshots`). Needs `npm run build` and
 * scripts/n8n/install.sh first.
 */
import type { BrowserContext, Page } from 'playwright-core';

import { EDIT_TOOL_DESCRIPTION } from '../../nodes/SparkPortrait/descriptions/toolMode';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import {
	backToCanvas,
	openDropdown,
	openNewWorkflow,
	panelItem,
	parameterField,
	parameterPanel,
	searchNodes,
	signIn,
} from './support/editor-page';
import type { N8nEditor } from './support/n8n-editor';
import { editorNodeTypes } from './support/node-types';
import { docsScreenshot, EDITOR_VERSIONS, openEditorSession, useTarballAndSimulator, type EditorSession } from './support/setup';

// n8n's start and a first page load take a while on two cores.
jest.setTimeout(180_000);

const API_KEY = 'browser-secret-key-5d2e81a4';
const CREDENTIAL_NAME = 'Spark API (simulator)';
const NODE_TYPE = 'n8n-nodes-spark-portrait.sparkPortrait';
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const OPERATIONS = ['Create Task', 'Edit Portrait', 'Get Task Status'];
const ACTIONS = ['Create a portrait edit task', 'Edit a portrait', 'Get the status of a portrait edit task'];
const REFERENCE_MODES = ['Auto', 'Character Reference', 'Creative', 'Reference'];
const LABELS = [
	'Operation',
	'Image Source',
	'Image URL',
	'Prompt',
	'Width',
	'Height',
	'HD Effect',
	'Skin Beautification',
	'Skin Uniformity',
	'Reference Mode',
	'Seed',
	'Options',
];
// Parameter name and the text its field shows by default.
const DEFAULTS: Record<string, string> = {
	operation: 'Edit Portrait',
	imageSource: 'Image URL',
	imageUrl: '',
	prompt: 'Concert group photo, flash photography',
	width: '1328',
	height: '1328',
	gpen: '0.4',
	skin: '0.3',
	skinUnifi: '0.0',
	genMode: 'Auto',
	seed: '-1',
};
// n8n adds this to the Operation list of any node whose credential can sign plain HTTP requests.
const N8N_CUSTOM_API_CALL = 'Custom API Call';

/** Entries of Edit Portrait's Options collection, from the node's own description. */
/** Edit Portrait's options as the editor should offer them for this Image Source. */
function editPortraitOptionNames(imageSource: 'url' | 'binary'): string[] {
	const collection = new SparkPortrait().description.properties.find(
		(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('createAndWait'),
	);
	if (!collection?.options) throw new Error('Edit Portrait has no Options collection');
	return collection.options
		.filter((option) => {
			const shownFor = 'displayOptions' in option ? option.displayOptions?.show?.['/imageSource'] : undefined;
			return shownFor === undefined || shownFor.includes(imageSource);
		})
		.map((option) => ('displayName' in option ? option.displayName : option.name))
		.sort((a, b) => a.localeCompare(b));
}

const setup = useTarballAndSimulator({ apiKey: API_KEY });

describe.each(EDITOR_VERSIONS)('in the editor of real %s', (key) => {
	let session: EditorSession | undefined;
	let editor: N8nEditor | undefined;
	let context: BrowserContext;
	let page: Page;

	const screenshot = (name: string) => docsScreenshot(key, page, name);

	beforeAll(async () => {
		const { url } = setup.sim();
		session = await openEditorSession(key, {
			packageTarball: setup.tarball(),
			credentials: [
				{
					id: 'sparkBrowser',
					name: CREDENTIAL_NAME,
					type: 'sparkPortraitVtrixApi',
					data: {
						apiKey: API_KEY,
						baseUrl: url,
					},
				},
			],
		});
		({ editor, context, page } = session);
	});

	afterAll(async () => {
		await session?.close();
	});

	it('signs in as the owner', async () => {
		await signIn(page, editor!.url, editor!);
		expect(new URL(page.url()).pathname).not.toContain('/signin');
	});

	it('finds Spark Portrait in the nodes panel, with its three actions', async () => {
		await openNewWorkflow(page, editor!.url);
		await searchNodes(page, 'Spark');
		await panelItem(page, 'Spark Portrait').click();
		await panelItem(page, ACTIONS[0]).waitFor();
		const names = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(names).toEqual(expect.arrayContaining(ACTIONS));
	});

	it('opens Edit Portrait with its fields and defaults', async () => {
		await panelItem(page, 'Edit a portrait').click();
		const panel = await parameterPanel(page);
		await screenshot('node-panel');

		const missing: string[] = [];
		for (const label of LABELS) {
			if ((await panel.getByText(label, { exact: true }).count()) === 0) missing.push(label);
		}
		expect(missing).toEqual([]);
		// One model, so no field to choose it.
		expect(await panel.getByText('Model', { exact: true }).count()).toBe(0);
		const shown: Record<string, string> = {};
		for (const name of Object.keys(DEFAULTS)) shown[name] = await parameterField(page, name).inputValue();
		expect(shown).toEqual(DEFAULTS);
		expect(await parameterField(page, 'imageUrl').getAttribute('placeholder')).toBe('https://example.com/portrait.jpg');
	});

	it('lists the three operations', async () => {
		const dropdown = await openDropdown(page, parameterField(page, 'operation'));
		await dropdown.close();
		expect(dropdown.names.filter((name) => name !== N8N_CUSTOM_API_CALL)).toEqual(OPERATIONS);
	});

	it('offers the four reference modes', async () => {
		const dropdown = await openDropdown(page, parameterField(page, 'genMode'));
		await screenshot('reference-mode');
		await dropdown.close();
		expect(dropdown.names).toEqual(REFERENCE_MODES);
	});

	it('selects the imported Spark API credential', async () => {
		const select = page.getByTestId('node-credentials-select').locator('input');
		expect(await select.inputValue()).toBe(CREDENTIAL_NAME);
		const dropdown = await openDropdown(page, select);
		await dropdown.close();
		expect(dropdown.names).toEqual([CREDENTIAL_NAME]);
	});

	it('offers the Options entries under Add Option', async () => {
		const panel = await parameterPanel(page);
		const dropdown = await openDropdown(page, panel.getByPlaceholder('Add Option'));
		await dropdown.close();
		expect(dropdown.names).toEqual(editPortraitOptionNames('url'));
	});

	it('shows Input Binary Field, the staging credential and the staging options for Binary Data', async () => {
		const panel = await parameterPanel(page);
		const source = await openDropdown(page, parameterField(page, 'imageSource'));
		expect(source.names).toEqual(['Image URL', 'Binary Data']);
		await source.choose('Binary Data');
		await parameterField(page, 'inputBinaryField').waitFor();
		expect(await parameterField(page, 'inputBinaryField').inputValue()).toBe('data');
		expect(await parameterField(page, 'imageUrl').count()).toBe(0);
		expect(await panel.getByText('Spark Portrait S3 Staging API', { exact: false }).count()).toBeGreaterThan(0);
		const options = await openDropdown(page, panel.getByPlaceholder('Add Option'));
		await options.close();
		expect(options.names).toEqual(editPortraitOptionNames('binary'));
		expect(options.names).toEqual(expect.arrayContaining(['Delete Staged Image', 'Image Link Expiry (Minutes)']));
		await parameterField(page, 'operation').scrollIntoViewIfNeeded();
		await screenshot('binary-input');
		// Back to the default for the tests that follow.
		await (await openDropdown(page, parameterField(page, 'imageSource'))).choose('Image URL');
		await parameterField(page, 'imageUrl').waitFor();
	});

	it('serves a tool variant among the node types the editor loads', async () => {
		const types = await editorNodeTypes(page, editor!.url);
		const node = types.find((type) => type.name === NODE_TYPE);
		const tool = types.find((type) => type.name === TOOL_TYPE);
		expect(node).toMatchObject({ displayName: 'Spark Portrait', outputs: ['main'] });
		expect(tool).toMatchObject({ displayName: 'Spark Portrait Tool', outputs: ['ai_tool'] });
		expect(tool?.codex?.categories).toContain('AI');
	});

	it("offers the node on an AI Agent's Tool connector", async () => {
		// A fresh page: leaving the unsaved workflow would ask whether to save it.
		const previous = page;
		page = await context.newPage();
		await previous.close();

		await openNewWorkflow(page, editor!.url);
		await searchNodes(page, 'AI Agent');
		await panelItem(page, 'AI Agent').first().click();
		await page.getByTestId('add-subnode-ai_tool-0').click();
		await searchNodes(page, 'Spark');
		await panelItem(page, 'Spark Portrait Tool').click();
		await parameterPanel(page);
		// The tool's own description for the model, not n8n's "Edit a portrait in Spark Portrait".
		expect(await parameterField(page, 'toolDescription').inputValue()).toBe(EDIT_TOOL_DESCRIPTION);
		await backToCanvas(page);

		const toolNode = page.locator(`[data-test-id="canvas-node"][data-node-type="${TOOL_TYPE}"]`);
		await toolNode.waitFor();
		expect(await toolNode.getAttribute('data-node-name')).toBe('Spark Portrait');
		// Chat trigger to agent, and the tool to the agent's Tool connector (edges draw after the nodes).
		await page.getByTestId('edge').nth(1).waitFor();
		expect(await page.getByTestId('edge').count()).toBe(2);
		await screenshot('ai-tool');
	});
});
