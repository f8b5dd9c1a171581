import type { ResponseShape, SimulatorOptions } from './types';

export const USAGE = `Usage: npm run simulator -- [--port 8787] [--host 127.0.0.1] [--api-key KEY] [--duration-ms 3000]
       [--jitter-ms 0] [--spread 0.2] [--seed N] [--rate-limit N] [--shape plain|envelope] [--words vtrix|canonical|alternate]
       [--accept vtrixClient|flat|both]`;

/** Flags to options; throws with a readable message on anything it does not know. */
export function parseCliArgs(argv: string[]): SimulatorOptions {
	// A person looks at these results: the edit is the realistic one.
	const options: SimulatorOptions = { port: 8787, imageWork: 'realistic' };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
		i++;
		switch (flag) {
			case '--port':
				options.port = integer(flag, value);
				break;
			case '--host':
				options.host = value;
				break;
			case '--api-key':
				options.apiKey = value;
				break;
			case '--duration-ms':
				options.taskDurationMs = integer(flag, value);
				break;
			case '--jitter-ms':
				options.jitterMs = integer(flag, value);
				break;
			case '--spread':
				options.taskTimeSpread = Number(value);
				break;
			case '--seed':
				options.taskTimeSeed = integer(flag, value);
				break;
			case '--rate-limit':
				options.rateLimitPerSecond = integer(flag, value);
				break;
			case '--shape':
				if (value !== 'plain' && value !== 'envelope') throw new Error('--shape must be plain or envelope');
				options.responseShape = value as ResponseShape;
				break;
			case '--words':
				if (value !== 'vtrix' && value !== 'canonical' && value !== 'alternate') throw new Error('--words must be vtrix, canonical or alternate');
				options.statusWords = value;
				break;
			case '--accept':
				if (value !== 'vtrixClient' && value !== 'flat' && value !== 'both') throw new Error('--accept must be vtrixClient, flat or both');
				options.acceptFormats = value;
				break;
			default:
				throw new Error(`Unknown flag ${flag}`);
		}
	}
	return options;
}

function integer(flag: string, value: string): number {
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} must be an integer >= 0`);
	return parsed;
}
