// `npm run simulator -- --port 8787`: the simulator for manual runs, demos and a separate n8n process.
import { USAGE, parseCliArgs } from './cliArgs';
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		console.log(USAGE);
		return;
	}
	let options: SimulatorOptions;
	try {
		options = parseCliArgs(args);
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const sim = await startSimulator({ ...options, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
	const { createPath, statusPath, acceptFormats, taskDurationMs, responseShape, statusWords, rateLimitPerSecond } = sim.options;
	console.log(
		[
			`Spark Edit Portrait simulator (speaks Vtrix's API) listening on ${sim.url}`,
			`  API key:      ${sim.apiKey}`,
			`  create:       POST ${sim.url}${createPath} (body formats accepted: ${acceptFormats})`,
			`  status:       GET  ${sim.url}${statusPath}`,
			`  fixture:      ${sim.url}/fixtures/portrait.jpg`,
			`  bad inputs:   ${sim.url}/fixtures/generated/{large.jpg,huge.png,image.gif,image.webp,not-an-image.txt}`,
			`  control:      ${sim.url}/__sim/{requests,faults,outcomes,configure,reset}`,
			`  task duration ${taskDurationMs} ms, shape ${responseShape}, words ${statusWords}, rate limit ${rateLimitPerSecond || 'off'}`,
			'Ctrl+C to stop.',
		].join('\n'),
	);
	const stop = (signal: string): void => {
		console.log(`${signal}: stopping`);
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
