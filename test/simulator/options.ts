import type { ResolvedOptions, SimulatorOptions } from './types';

export const DEFAULT_OPTIONS: ResolvedOptions = {
	port: 0,
	host: '127.0.0.1',
	apiKey: 'sim-test-key',
	createPath: '/model/v1/generation',
	statusPath: '/model/v1/generation/task/{taskId}',
	acceptFormats: 'vtrixClient',
	taskDurationMs: 3000,
	inputFetchDelayMs: 0,
	inputFetchTimeoutMs: 10_000,
	pendingFraction: 0.2,
	jitterMs: 0,
	taskTimeSpread: 0,
	taskTimeSeed: 20240601,
	rateLimitPerSecond: 0,
	rateLimitHeaders: 'none',
	answerHeaders: {},
	progressShape: 'linear',
	responseShape: 'plain',
	statusWords: 'vtrix',
	costUsd: '0.0300',
	imageWork: 'cheap',
	now: () => Date.now(),
	log: () => undefined,
};

const KEYS = Object.keys(DEFAULT_OPTIONS) as Array<keyof ResolvedOptions>;

/** Fixed at listen time; everything else may change while running. */
const STARTUP_ONLY: ReadonlyArray<keyof ResolvedOptions> = ['port', 'host'];

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
	const resolved: ResolvedOptions = { ...DEFAULT_OPTIONS };
	applyOptions(resolved, options, false);
	return resolved;
}

/** Mutates target in place so that every module holding it sees the change. undefined/null restores the default. */
export function applyOptions(target: ResolvedOptions, partial: Partial<SimulatorOptions>, running: boolean): void {
	for (const key of Object.keys(partial) as Array<keyof SimulatorOptions>) {
		if (!KEYS.includes(key)) throw new Error(`Unknown simulator option '${key}'`);
		if (running && STARTUP_ONLY.includes(key)) throw new Error(`Option '${key}' cannot change while the simulator runs`);
		const value = partial[key];
		setOption(target, key, value === undefined || value === null ? DEFAULT_OPTIONS[key] : value);
	}
	checkOptions(target);
}

function setOption<K extends keyof ResolvedOptions>(target: ResolvedOptions, key: K, value: ResolvedOptions[K]): void {
	target[key] = value;
}

function checkOptions(options: ResolvedOptions): void {
	if (!options.statusPath.includes('{taskId}')) throw new Error("statusPath must contain '{taskId}'");
	if (options.pendingFraction < 0 || options.pendingFraction > 1) throw new Error('pendingFraction must be within 0..1');
	if (!(options.taskTimeSpread >= 0 && options.taskTimeSpread <= 1)) throw new Error('taskTimeSpread must be within 0..1');
	if (!Number.isInteger(options.taskTimeSeed)) throw new Error('taskTimeSeed must be an integer');
	for (const key of ['taskDurationMs', 'inputFetchDelayMs', 'inputFetchTimeoutMs', 'jitterMs', 'rateLimitPerSecond'] as const) {
		if (!Number.isFinite(options[key]) || options[key] < 0) throw new Error(`${key} must be a number >= 0`);
	}
	if (!['plain', 'envelope'].includes(options.responseShape)) throw new Error("responseShape must be 'plain' or 'envelope'");
	if (!['vtrix', 'canonical', 'alternate'].includes(options.statusWords)) throw new Error("statusWords must be 'vtrix', 'canonical' or 'alternate'");
	if (!['vtrixClient', 'flat', 'both'].includes(options.acceptFormats)) throw new Error("acceptFormats must be 'vtrixClient', 'flat' or 'both'");
	if (!['none', 'x-ratelimit', 'ratelimit'].includes(options.rateLimitHeaders)) throw new Error("rateLimitHeaders must be 'none', 'x-ratelimit' or 'ratelimit'");
	if (!['realistic', 'cheap'].includes(options.imageWork)) throw new Error("imageWork must be 'realistic' or 'cheap'");
	if (!['linear', 'jumping', 'stalling', 'none'].includes(options.progressShape)) throw new Error("progressShape must be 'linear', 'jumping', 'stalling' or 'none'");
}
