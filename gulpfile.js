// Copies the files tsc does not emit (node icons and codex JSON) next to the compiled node in dist/.
const { src, dest, parallel } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

// The package entry point sits at the top of the repository; the published package holds dist/ only.
function copyEntryPoint() {
	return src('index.js').pipe(dest('dist'));
}

exports['build:icons'] = parallel(buildIcons, copyEntryPoint);
