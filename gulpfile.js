// Copies the files tsc does not emit (node icons and codex JSON) next to the compiled node in dist/.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
