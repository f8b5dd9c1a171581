// How the e2e support code runs npm itself (to install a packed package, to run `npm start`).

/** The npm that runs this test process (`npm test` sets npm_execpath), else the one on PATH. */
export function npmCommand(): { command: string; prefixArgs: string[] } {
	const execPath = process.env.npm_execpath;
	if (execPath && /npm-cli\.c?js$/.test(execPath)) return { command: process.execPath, prefixArgs: [execPath] };
	return { command: 'npm', prefixArgs: [] };
}

/** npm_* variables from `npm run` (local prefix, scripts settings…) must not steer the nested npm. */
export function npmEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}
