import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../e2e/support/runtime';

export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Where the pictures go: docs/images when `npm run screenshots` asks for them, else the git-ignored
 * out/screenshots. Every run draws the editor a little differently (ids, times), so a plain test run
 * that wrote into docs/ would leave seven changed images in the working tree each time.
 */
export const SCREENSHOT_DIR =
	process.env.SPARK_UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'images') : path.join(REPO_ROOT, 'out', 'screenshots');

/** Saves editor-<name>.png into SCREENSHOT_DIR. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
	await mkdir(SCREENSHOT_DIR, { recursive: true });
	// Dropdowns fade in: finish their transitions, or the picture catches them half drawn.
	await page.screenshot({ path: path.join(SCREENSHOT_DIR, `editor-${name}.png`), animations: 'disabled' });
}
