// The order jest starts files in. Jest runs the slowest first when an earlier run on this machine
// timed them; on a clean clone (CI) it has no timings and would go by file size, which starts the long
// n8n files (a queue-mode stack, the browser) last, with the workers idle behind them. So a file with no
// timing is given its layer's usual seconds, the larger files of a layer first (rough figures; the
// order is all they decide).
const Sequencer = require('@jest/test-sequencer').default;

const USUAL_SECONDS = { browser: 100, e2e: 60, load: 40, integration: 30, release: 20, unit: 1 };

class LayerSequencer extends Sequencer {
	time(test) {
		const usual = USUAL_SECONDS[test.context.config.displayName?.name] ?? 1;
		return super.time(test) ?? usual + (test.context.hasteFS.getSize(test.path) ?? 0) / 1e6;
	}
}

module.exports = LayerSequencer;
