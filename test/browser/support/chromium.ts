import { existsSync } from 'node:fs';

import { chromium, selectors, type Browser } from 'playwright-core';

/** Debian's Chromium, put there by scripts/install-chromium.sh: Playwright's own browser download cannot run here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless in a container, and quiet: no sandbox (root), no GPU, no calls home.
const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(`${CHROMIUM_PATH} is missing: run \`bash scripts/install-chromium.sh\` from the repository root`);
	}
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
