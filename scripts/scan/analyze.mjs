#!/usr/bin/env node
// Runs n8n's verification lint on a folder, the way n8n runs it before it verifies a package:
// @n8n/scan-community-package's `analyzePackage` (ESLint with n8n's rule sets and inline
// configuration off, so eslint-disable comments do not count).
//
//   node scripts/scan/analyze.mjs <folder> source    the repository (what the provenance attests)
//   node scripts/scan/analyze.mjs <folder> tarball   an unpacked `npm pack` tarball
//
// Prints the result as one JSON line and exits 1 on any violation. An ES module because the
// scanner is one; test/release/scanner.test.ts runs this script rather than importing it into Jest.
import path from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

// What the scanner lints in the published tarball (`analyzePackageByName` in 0.32.0, not exported):
// compiled JavaScript and package.json.
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const PATTERNS = { source: SOURCE_FILE_PATTERNS, tarball: TARBALL_FILE_PATTERNS };

const [folder, kind] = process.argv.slice(2);
if (!folder || !(kind in PATTERNS)) {
	console.error('usage: node scripts/scan/analyze.mjs <folder> source|tarball');
	process.exit(2);
}

// eslint-plugin-n8n-nodes-base switches its rules to its own fixtures' conventions when
// NODE_ENV is `test` (as under Jest) and then refuses every real package. It reads the variable
// when the scanner loads it, inside analyzePackage, so clearing it here is in time.
delete process.env.NODE_ENV;

const { passed, message, details } = await analyzePackage(path.resolve(folder), PATTERNS[kind]);
console.log(JSON.stringify({ passed, message, details }));
process.exitCode = passed ? 0 : 1;
