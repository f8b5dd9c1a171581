// Closes a jest run with where its time went: time per project (layer), with the end-to-end and
// browser layers split by n8n major, and the ten slowest files; then one plain line, "tests: N passed,
// N failed, N skipped", so CI logs can be read without knowing jest's format.
const path = require('node:path');

// The order the layers are read in: fast to slow, as `npm test` builds up.
const PROJECT_ORDER = ['unit', 'integration', 'load', 'e2e', 'browser', 'release'];
// Layers whose tests name the n8n major they run in ("in real n8n1", "queue mode in real n8n2").
const BY_MAJOR = new Set(['e2e', 'browser']);
const MAJORS = ['n8n1', 'n8n2'];
const SLOWEST = 10;

const seconds = (ms) => (ms / 1000).toFixed(1);

// An integration suite runs several test files, each in a describe named after it (test/integration/suites/suite.ts).
const SUITE = /\/suites\/[^/]+\.suite\.ts$/;

/**
 * The files a suite ran, in the order it ran them, each timed from where the one before it ended (the
 * first from the suite's start) to its last test's end: its set-up (a simulator, an n8n start in a
 * beforeAll) counts as its own.
 */
function suiteMembers(project, suiteFile, suiteStart, tests) {
	const folder = path.dirname(path.dirname(suiteFile));
	const byFile = new Map();
	for (const test of tests) {
		const name = test.ancestorTitles[0];
		if (!byFile.has(name)) byFile.set(name, []);
		byFile.get(name).push(test);
	}
	const members = [...byFile].map(([name, ran]) => ({
		project,
		file: `${path.join(folder, name)} (in ${path.basename(suiteFile)})`,
		first: Math.min(...ran.map((test) => test.startAt ?? Infinity)),
		end: Math.max(...ran.map((test) => (test.startAt ?? 0) + (test.duration ?? 0))),
		tests: ran,
	}));
	members.sort((a, b) => a.first - b.first);
	return members.map(({ first, ...member }, index) => ({ ...member, start: index === 0 ? suiteStart : members[index - 1].end }));
}

class SummaryReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
		this.files = [];
		/** The files that ran inside suites (suiteMembers). */
		this.members = [];
	}

	onTestResult(test, result) {
		const { start, end } = result.perfStats;
		const project = test.context.config.displayName?.name ?? 'default';
		const file = path.relative(this.rootDir, result.testFilePath);
		this.files.push({ project, file, start, end, tests: result.testResults });
		if (SUITE.test(file)) this.members.push(...suiteMembers(project, file, start, result.testResults));
	}

	/**
	 * One row per project: the time its files ran, added up. Files of all projects run side by side
	 * (jest.config.js' maxWorkers), so a project's span (first start to last end) would say little, and
	 * the sums add up to more than the run's wall time, which the last row gives.
	 */
	projectRows() {
		const projects = [...new Set(this.files.map((file) => file.project))];
		projects.sort((a, b) => (PROJECT_ORDER.indexOf(a) + 1 || 99) - (PROJECT_ORDER.indexOf(b) + 1 || 99));
		const rows = [];
		for (const project of projects) {
			const files = this.files.filter((file) => file.project === project);
			const tests = files.flatMap((file) => file.tests);
			const ran = files.reduce((sum, file) => sum + (file.end - file.start), 0);
			rows.push([project, String(files.length), String(tests.length), seconds(ran)]);
			if (!BY_MAJOR.has(project)) continue;
			for (const major of MAJORS) {
				const named = tests.filter((test) => new RegExp(`\\b${major}\\b`).test(test.fullName));
				const ms = named.reduce((sum, test) => sum + (test.duration ?? 0), 0);
				rows.push([`  ${major} tests`, '', String(named.length), seconds(ms)]);
			}
		}
		return rows;
	}

	onRunComplete(_contexts, results) {
		const out = [];
		if (this.files.length > 0) {
			const wall = Math.max(...this.files.map((file) => file.end)) - Math.min(...this.files.map((file) => file.start));
			out.push(
				'',
				'Where the time went: seconds its files ran, per project ("nN tests": the tests that name that n8n major, without',
				'their set-up); "run": the wall time of the whole jest run',
			);
			const rows = [['project', 'files', 'tests', 'seconds'], ...this.projectRows(), ['run', String(this.files.length), String(results.numTotalTests), seconds(wall)]];
			const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
			for (const row of rows) out.push(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
			out.push('', `The ${SLOWEST} slowest files`);
			// Suites are listed by the files they ran.
			const listed = [...this.files.filter((file) => !SUITE.test(file.file)), ...this.members];
			const slowest = listed.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, SLOWEST);
			for (const file of slowest) out.push(`${seconds(file.end - file.start).padStart(7)}  ${file.project.padEnd(11)}  ${file.file}`);
		}
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		out.push('', `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`, '');
		process.stderr.write(out.join('\n'));
	}
}

module.exports = SummaryReporter;
