/**
 * A person trying the node for the first time, in real n8n's editor (2.41.x on Node 24, then 1.123.x on
 * Node 22), in headless Chromium, against the simulator: opens the example workflow, creates the Spark
 * API credential from the node (a refused key first, then a good one), runs the node and looks at the
 * image and the JSON, then sets Width to 4000 and reads the error. The screenshots of 2.x go to
 * out/screenshots (docs/images with `npm run screenshots`). Needs `npm run build` and
 * scripts/n8n/install.sh first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { REPO_ROOT } from '../e2e/support/runtime';
import { parameterField, signIn } from './support/editor-page';
import type { N8nEditor } from './support/n8n-editor';
import { docsScreenshot, EDITOR_VERSIONS, openEditorSession, useTarballAndSimulator, type EditorSession } from './support/setup';

jest.setTimeout(180_000);

const API_KEY = 'person-secret-key-42c9d1e0';
const REFUSED_KEY = 'person-refused-key-7a3f';
const NODE_NAME = 'Edit Portrait';
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'edit-portrait.json');

/** The example workflow as a user imports it, pointed at this simulator, with no credential yet. */
function exampleWorkflow(simUrl: string): { id: string; nodes: Array<Record<string, unknown>> } {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8').split('http://127.0.0.1:8787').join(simUrl)) as {
		id: string;
		nodes: Array<Record<string, unknown>>;
	};
	for (const node of workflow.nodes) delete node.credentials;
	return workflow;
}

// The run's output image is shown and photographed for the docs: the simulator edits for real.
const setup = useTarballAndSimulator({ apiKey: API_KEY, taskDurationMs: 1500, imageWork: 'realistic' });

describe.each(EDITOR_VERSIONS)('a person in the editor of real %s', (key) => {
	let session: EditorSession | undefined;
	let editor: N8nEditor | undefined;
	let page: Page;
	let workflowId: string;

	const screenshot = (name: string) => docsScreenshot(key, page, name);
	const modal = () => page.getByTestId('editCredential-modal');
	const outputPanel = () => page.getByTestId('output-panel');

	/** Saves the form with this key; the editor then tests the credential (POST /rest/credentials/test). */
	async function saveCredential(apiKey: string): Promise<void> {
		await modal().getByTestId('parameter-input-apiKey').locator('input').fill(apiKey);
		const tested = page.waitForResponse((response) => response.url().includes('/rest/credentials/test'));
		await modal().getByTestId('credential-save-button').click();
		await tested;
	}

	const failureBanner = () => modal().getByText(/Couldn.t connect with these settings/);

	/** The editor's verdict on a tested credential: its success tag, the failure banner, or a closed form. */
	async function credentialVerdict(): Promise<'success' | 'failure' | 'closed'> {
		const success = modal().getByTestId('credentials-config-container-test-success');
		return Promise.race([
			success.waitFor().then(() => 'success' as const),
			failureBanner().waitFor().then(() => 'failure' as const),
			modal().waitFor({ state: 'hidden' }).then(() => 'closed' as const),
		]);
	}

	beforeAll(async () => {
		const workflow = exampleWorkflow(setup.sim().url);
		workflowId = workflow.id;
		session = await openEditorSession(key, { packageTarball: setup.tarball(), credentials: [], workflows: [workflow] });
		({ editor, page } = session);
		setup.sim().reset();
	});

	afterAll(async () => {
		await session?.close();
	});

	it('opens the example workflow and its Edit Portrait node', async () => {
		await signIn(page, editor!.url, editor!);
		await page.goto(`${editor!.url}/workflow/${workflowId}`);
		await page.getByTestId('canvas-node').filter({ hasText: NODE_NAME }).first().dblclick();
		await page.getByTestId('node-parameters').waitFor();
		expect(await parameterField(page, 'imageUrl').inputValue()).toBe(`${setup.sim().url}/fixtures/portrait.jpg`);
	});

	it('creates the Vtrix API credential from the node: its form shows the hints a first-time user needs', async () => {
		const emptyState = page.getByTestId('node-credentials-empty-state');
		if (await emptyState.isVisible()) {
			await emptyState.click();
		} else {
			// n8n 1.x: the credential select offers to create one.
			await page.getByTestId('node-credentials-select').click();
			await page.getByText(/create new credential/i).first().click();
		}
		await modal().waitFor();
		// The form asks for the key and says where a key comes from; the endpoint waits behind a toggle.
		await modal().getByText(/Settings → API Keys/).first().waitFor();
		expect(await modal().getByTestId('parameter-input-apiKey').locator('input').getAttribute('type')).toBe('password');
		expect(await modal().getByTestId('parameter-input-customBaseUrl').count()).toBe(0);
		await screenshot('credential-form');
		// This test's API is the simulator: a custom endpoint, which already holds Vtrix's address and paths.
		await modal().getByTestId('parameter-input-customEndpoint').locator('.el-switch').click();
		const baseUrl = modal().getByTestId('parameter-input-customBaseUrl').locator('input');
		expect(await baseUrl.inputValue()).toBe('https://cloud.vtrix.ai');
		expect(await modal().getByTestId('parameter-input-customCreateTaskPath').locator('input').inputValue()).toBe('/model/v1/generation');
		await baseUrl.fill(setup.sim().url);
	});

	it('tests a refused key on Save and says why in More details', async () => {
		await saveCredential(REFUSED_KEY);
		expect(await credentialVerdict()).toBe('failure');
		const details = modal().getByText('More details');
		if (await details.isVisible()) await details.click();
		// Today "Vtrix rejected this API key (401 Unauthorized): ..."; any wording that names the key and the 401.
		await modal().getByText(/API key.*401/i).first().waitFor();
		await screenshot('credential-refused');
		// The test read a task that cannot exist: nothing was created, nothing billed.
		expect(setup.sim().requestsTo('create')).toHaveLength(0);
		expect(setup.sim().requestsTo('status').at(-1)?.statusCode).toBe(401);
	});

	it('tests the good key on Save: connection tested successfully', async () => {
		await saveCredential(API_KEY);
		// The banner of the refused key goes once the new test answered.
		await failureBanner().waitFor({ state: 'hidden' });
		let verdict = await credentialVerdict();
		if (verdict === 'closed') {
			// n8n 2.x closes the form once the test passed; reopening it shows the result.
			await page.getByTestId('credential-edit-button').click();
			await modal().waitFor();
			verdict = await credentialVerdict();
		}
		expect(verdict).toBe('success');
		await screenshot('credential-tested');
		await modal().locator('.el-dialog__close').first().click();
		await modal().waitFor({ state: 'hidden' });
		expect(setup.sim().requestsTo('status').at(-1)?.statusCode).toBe(404);
	});

	it('runs the node: the output shows the edited image, and the JSON has task id, status and cost', async () => {
		await page.getByTestId('node-execute-button').click();
		await outputPanel().getByTestId('node-run-status-success').or(outputPanel().getByTestId('ndv-items-count')).first().waitFor({ timeout: 60_000 });
		const [created] = setup.sim().requestsTo('create');
		const taskId = created.taskId as string;

		await binaryView(page);
		await outputPanel().getByText(`spark-portrait-${taskId}.jpg`).waitFor();
		await outputPanel().getByTestId('ndv-view-binary-data').first().click();
		const image = outputPanel().locator('img').first();
		await image.waitFor();
		// Loaded and decoded: the browser knows the picture's real width.
		await image.evaluate(
			(element) =>
				new Promise<void>((resolve) => {
					const img = element as unknown as { complete: boolean; naturalWidth: number; onload: () => void };
					if (img.complete && img.naturalWidth > 0) resolve();
					else img.onload = () => resolve();
				}),
		);
		expect(await image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBe(1328);
		await screenshot('run-image');

		await outputDisplayMode(page, 'json');
		const data = outputPanel().getByTestId('ndv-data-container');
		// The JSON view renders after the switch.
		await data.getByText(taskId).first().waitFor();
		const json = await data.innerText();
		expect(json).toContain(taskId);
		expect(json).toMatch(/"status":\s*"completed"/);
		expect(json).toMatch(/"cost":\s*"0\.0300"/);
		expect(json).toContain(`${setup.sim().url}/cdn/${taskId}/`);
		await screenshot('run-json');
	});

	it('refuses Width 4000 with an error naming the field and the range, and creates no task', async () => {
		const creates = setup.sim().requestsTo('create').length;
		const width = parameterField(page, 'width');
		await width.fill('4000');
		await width.press('Tab');
		const shown = await width.inputValue();
		if (shown !== '4000') {
			// The number field refuses a typed value outside its range; an expression (a value that comes
			// from an earlier node, say) is how 4000 reaches the node.
			expect(Number(shown)).toBeGreaterThanOrEqual(512);
			expect(Number(shown)).toBeLessThanOrEqual(2048);
			await useExpression(page, 'width', '{{ 4000 }}', '4000');
		}
		await page.getByTestId('node-execute-button').click();
		const message = outputPanel().getByTestId('node-error-message');
		await message.waitFor({ timeout: 60_000 });
		expect(await message.innerText()).toBe('Width (width) must be a whole number of pixels from 512 to 2048; got 4000');
		expect(await outputPanel().getByTestId('node-error-description').innerText()).toContain('nothing was billed');
		// For the picture: the run has finished once the execute button stops spinning.
		await page.getByTestId('node-execute-button').getByText(/Execute step|Test step/).waitFor();
		await screenshot('error');
		expect(setup.sim().requestsTo('create')).toHaveLength(creates);
	});
});

/** Picks the output panel's display mode (n8n 1.x and 2.x both use radio buttons named by mode). */
async function outputDisplayMode(page: Page, mode: 'json' | 'binary' | 'table'): Promise<void> {
	await page.getByTestId('output-panel').getByTestId(`radio-button-${mode}`).click();
}

async function binaryView(page: Page): Promise<void> {
	const binary = page.getByTestId('output-panel').getByTestId('radio-button-binary');
	if (await binary.isVisible()) await binary.click();
}

/** Switches a parameter to an expression and types it. */
async function useExpression(page: Page, name: string, expression: string, preview: string): Promise<void> {
	const container: Locator = page.getByTestId(`${name}-parameter-input-options-container`);
	await page.getByTestId(`parameter-input-${name}`).hover();
	await container.getByTestId('radio-button-expression').click();
	const editor = page.getByTestId(`parameter-input-${name}`).locator('.cm-content').first();
	await editor.waitFor();
	await editor.click();
	// The editor mounts a moment after the switch: type only once it has the focus.
	await editor.evaluate((element) => new Promise<void>((resolve) => {
		const check = () => (element.contains(element.ownerDocument.activeElement) ? resolve() : setTimeout(check, 50));
		check();
	}));
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.press('Backspace');
	// Inserted as a whole, so the editor's bracket auto-closing does not double the braces.
	await page.keyboard.insertText(expression);
	expect((await editor.innerText()).trim()).toBe(expression);
	// Leaves the editor (Tab would be typed into it).
	await page.getByTestId('node-parameters').getByText('Height', { exact: true }).click();
	// The editor hands the value to the workflow after a short debounce; its result preview shows it then.
	await page.getByTestId(`parameter-expression-preview-${name}`).getByText(preview, { exact: true }).waitFor({ timeout: 10_000 });
}
