/**
 * Runs several test files of a layer as one jest file. Each file keeps its own describe (named after
 * it), so its hooks and simulators stay its own. An integration suite loads n8n-core, n8n-workflow and
 * the node once rather than once per file (about 2 s of CPU a file, most of an integration file's cost
 * on the 2-core machine); the browser suite keeps its two files, each starting n8n and Chromium, from
 * running at the same time. The files still run alone when named on jest's command line (jest.config.js).
 */
import path from 'node:path';

/**
 * `folder`: the layer's folder (the suite file's parent); `timeoutMs`: the longest timeout a member
 * asks for, since the last `jest.setTimeout` of a jest file holds for all of its tests.
 */
export function suite(folder: string, files: readonly string[], timeoutMs = 90_000): void {
	for (const file of files) {
		describe(`${file}.test.ts`, () => {
			require(path.join(folder, `${file}.test`));
		});
	}
	jest.setTimeout(timeoutMs);
}
