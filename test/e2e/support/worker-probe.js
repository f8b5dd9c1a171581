// Loaded into an n8n worker with `node --require` (NODE_OPTIONS) by the queue-mode test, to tell apart
// why a worker dropped its executions. It prints `[probe]` lines into the worker's own log:
// - the event loop was blocked (Bull renews a job's lock from a timer: a loop stalled past the lock
//   duration loses every lock the worker holds, and Bull hands those jobs to another worker);
// - an unhandled rejection or uncaught exception (something that could take the worker down);
// - the heap and RSS high-water marks (memory);
// - how the process ended.
// It changes nothing n8n does: a rejection it reports is thrown on, as Node itself would have.
'use strict';

// n8n's task runner is a child of the worker with the same environment: only `n8n worker` is probed.
const name = process.argv.includes('worker') ? process.env.E2E_PROBE_NAME : undefined;
if (name) {
	const TICK_MS = 250;
	const REPORT_LAG_MS = Number(process.env.E2E_PROBE_LAG_MS || 1000);
	const print = (text) => process.stderr.write(`[probe] ${name}:${process.pid} ${new Date().toISOString()} ${text}\n`);
	const mb = (bytes) => Math.round(bytes / 1048576);

	let expected = Date.now() + TICK_MS;
	let maxLag = 0;
	let peakRss = 0;
	let peakHeap = 0;
	const tick = setInterval(() => {
		const now = Date.now();
		const lag = now - expected;
		expected = now + TICK_MS;
		if (lag > maxLag) maxLag = lag;
		if (lag >= REPORT_LAG_MS) print(`event loop blocked ${lag} ms`);
		const { rss, heapUsed } = process.memoryUsage();
		if (rss > peakRss) peakRss = rss;
		if (heapUsed > peakHeap) peakHeap = heapUsed;
	}, TICK_MS);
	tick.unref();
	const summary = setInterval(() => print(`max event-loop lag ${maxLag} ms, peak rss ${mb(peakRss)} MB, peak heap ${mb(peakHeap)} MB`), 10_000);
	summary.unref();

	process.on('unhandledRejection', (reason) => {
		print(`unhandled rejection: ${reason && reason.stack ? reason.stack : String(reason)}`);
		throw reason;
	});
	process.on('uncaughtExceptionMonitor', (error, origin) => {
		print(`${origin}: ${error && error.stack ? error.stack : String(error)}`);
	});
	process.on('exit', (code) => {
		print(`exit code ${code}; max event-loop lag ${maxLag} ms, peak rss ${mb(peakRss)} MB, peak heap ${mb(peakHeap)} MB`);
	});
}
