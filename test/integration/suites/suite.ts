/**
 * Runs several integration test files as one jest file. Each file keeps its own describe (named after
 * it), so its hooks and simulators stay its own; what the suite saves is loading n8n-core, n8n-workflow
 * and the node once per suite rather than once per file: about 2 s of CPU a file, most of an
 * integration file's cost on the 2-core machine. The files still run alone when named on jest's
 * command line (jest.config.js).
 */
export function suite(files: readonly string[]): void {
	for (const file of files) {
		describe(`${file}.test.ts`, () => {
			require(`../${file}.test`);
		});
	}
	// Each file sets the timeout its slowest test needs, and the last call holds for the whole suite.
	jest.setTimeout(90_000);
}
