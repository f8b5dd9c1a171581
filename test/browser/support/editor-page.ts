// What a person does in n8n's editor, with the selectors that hold on n8n 1.123 and 2.41 alike.
import type { Locator, Page } from 'playwright-core';

export interface Owner {
	ownerEmail: string;
	ownerPassword: string;
}

export async function signIn(page: Page, url: string, owner: Owner): Promise<void> {
	await page.goto(`${url}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.ownerEmail);
	await page.getByTestId('password').locator('input').fill(owner.ownerPassword);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((address) => !address.pathname.includes('/signin'));
}

export async function openNewWorkflow(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
}

/** Types into the open nodes panel's search box. */
export async function searchNodes(page: Page, text: string): Promise<void> {
	await page.getByTestId('node-creator-search-bar').fill(text);
}

/** An entry of the nodes panel by its exact name (nodes, actions and triggers are all such items). */
export function panelItem(page: Page, name: string): Locator {
	return page.getByTestId('item-iterator-item').filter({
		has: page.getByTestId('node-creator-item-name').getByText(name, { exact: true }),
	});
}

export async function panelItemTexts(page: Page): Promise<string[]> {
	return page.getByTestId('item-iterator-item').allInnerTexts();
}

/** The node's parameter panel (NDV), once it shows. */
export async function parameterPanel(page: Page): Promise<Locator> {
	const panel = page.getByTestId('node-parameters');
	await panel.waitFor();
	return panel;
}

/** The text box of a parameter: an input (text, number, select) or a textarea. */
export function parameterField(page: Page, name: string): Locator {
	return page.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
}

export interface OpenDropdown {
	/** The first line of each option: its name without the description n8n shows below it. */
	names: string[];
	close(): Promise<void>;
	/** Clicks the option with this name (the list then closes). */
	choose(name: string): Promise<void>;
}

/** Opens a select (n8n's element-plus select on both versions) and reads its options. */
export async function openDropdown(page: Page, input: Locator): Promise<OpenDropdown> {
	await input.scrollIntoViewIfNeeded();
	await input.click();
	// The input names its own list, so options of other (closing) dropdowns are never read.
	const listId = await input.getAttribute('aria-controls');
	if (!listId) throw new Error('the select names no option list (aria-controls)');
	const list = page.locator(`[id="${listId}"]`);
	await list.getByRole('option').first().waitFor();
	const texts = await list.getByRole('option').allInnerTexts();
	return {
		names: texts.map((text) => text.split('\n')[0].trim()),
		close: async () => {
			await page.keyboard.press('Escape');
			await list.waitFor({ state: 'hidden' });
		},
		choose: async (name: string) => {
			await list.getByRole('option').filter({ hasText: name }).first().click();
			await list.waitFor({ state: 'hidden' });
		},
	};
}

/** Closes the parameter panel and fits the canvas into the window. */
export async function backToCanvas(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.getByTestId('node-parameters').waitFor({ state: 'hidden' });
	await page.getByTestId('zoom-to-fit').click();
	// Off the controls, so no tooltip lands in a screenshot.
	await page.mouse.move(640, 120);
}
