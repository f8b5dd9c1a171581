import type { Page } from 'playwright-core';

export interface NodeTypeSummary {
	name: string;
	displayName: string;
	outputs?: unknown;
	codex?: { categories?: string[]; subcategories?: Record<string, string[]> };
}

/**
 * The node types the editor itself loads (GET /types/nodes.json on n8n 1.123 and 2.41; it needs the
 * session cookie, so it goes through the signed-in page).
 */
export async function editorNodeTypes(page: Page, url: string): Promise<NodeTypeSummary[]> {
	const response = await page.request.get(`${url}/types/nodes.json`);
	if (!response.ok()) throw new Error(`GET /types/nodes.json answered ${response.status()}`);
	const types: unknown = await response.json();
	if (!Array.isArray(types)) throw new Error('GET /types/nodes.json did not return a list');
	return types as NodeTypeSummary[];
}
