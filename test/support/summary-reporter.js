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

class SummaryReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
		this.files = [];
	}

	onTestResult(test, result) {
		const { start, end } = result.perfStats;
		this.files.push({
			project: test.context.config.displayName?.name ?? 'default',
			file: path.relative(this.rootDir, result.testFilePath),
			start,
			end,
			tests: result.testResults,
		});
	}

	/**
	 * One row per project: the time its files ran, added up. Files of all projects share the run, so a
	 * project's span (first start to last end) would say little; with one file at a time (jest's default
	 * on two cores) the sums add up to the run's wall time.
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
			out.push('', `The ${Math.min(SLOWEST, this.files.length)} slowest files`);
			const slowest = [...this.files].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, SLOWEST);
			for (const file of slowest) out.push(`${seconds(file.end - file.start).padStart(7)}  ${file.project.padEnd(11)}  ${file.file}`);
		}
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		out.push('', `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`, '');
		process.stderr.write(out.join('\n'));
	}
}

module.exports = SummaryReporter;
