import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../e2e/support/runtime';

export const VIEWPORT = { width: 1280, height: 800 };

const IMAGES = path.join(REPO_ROOT, 'docs', 'images');

/** Saves docs/images/editor-<name>.png; the docs show the editor as these tests last saw it. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
	await mkdir(IMAGES, { recursive: true });
	// Dropdowns fade in: finish their transitions, or the picture catches them half drawn.
	await page.screenshot({ path: path.join(IMAGES, `editor-${name}.png`), animations: 'disabled' });
}
