// Reading the run that `n8n execute --rawOutput` prints.

export interface BinaryEntry {
	data?: string;
	mimeType?: string;
	fileName?: string;
	id?: string;
	fileSize?: string;
	[key: string]: unknown;
}

export interface OutputItem {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryEntry>;
	pairedItem?: unknown;
}

export interface ExecutionErrorInfo {
	message: string;
	description?: string;
	nodeName?: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, ...keys: Array<string | number>): unknown {
	let current = value;
	for (const key of keys) {
		if (typeof key === 'number') {
			if (!Array.isArray(current)) return undefined;
			current = current[key];
		} else {
			if (!isObject(current)) return undefined;
			current = current[key];
		}
	}
	return current;
}

function isRun(value: unknown): boolean {
	return isObject(at(value, 'data', 'resultData'));
}

/**
 * Finds the run JSON in n8n's stdout. n8n prints it pretty (2 spaces), so it starts with a line that is
 * exactly `{` and ends at the next line that is exactly `}`; log lines may come before and after it
 * (2.x: task broker and licence messages; a failed run: "Execution error:" banners and stacks).
 */
export function parseRawOutput(stdout: string): unknown {
	const lines = stdout.split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end === -1) break;
		try {
			const parsed: unknown = JSON.parse(lines.slice(start, end + 1).join('\n'));
			if (isRun(parsed)) return parsed;
		} catch {
			// A brace block that is not the run; keep looking.
		}
	}
	return undefined;
}

/** A run that n8n finished (success or error) and stamped with its stop time. */
export function isFinishedRun(run: unknown): boolean {
	return isRun(run) && typeof at(run, 'status') === 'string' && typeof at(run, 'stoppedAt') === 'string';
}

function ranNodes(run: unknown): string[] {
	const runData = at(run, 'data', 'resultData', 'runData');
	return isObject(runData) ? Object.keys(runData) : [];
}

/** Items of a node's first run on its first output: `data.resultData.runData[name][0].data.main[0]`. */
export function nodeOutput(run: unknown, nodeName: string): OutputItem[] {
	if (!isRun(run)) throw new Error('nodeOutput: not an n8n run (did execute() find JSON in stdout?)');
	const nodeRun = at(run, 'data', 'resultData', 'runData', nodeName, 0);
	if (nodeRun === undefined) {
		throw new Error(`nodeOutput: node "${nodeName}" did not run; nodes that ran: ${ranNodes(run).join(', ') || 'none'}`);
	}
	const nodeError = at(nodeRun, 'error', 'message');
	const items = at(nodeRun, 'data', 'main', 0);
	if (!Array.isArray(items)) {
		const reason = typeof nodeError === 'string' ? `it failed: ${nodeError}` : 'it has no items on output 0';
		throw new Error(`nodeOutput: node "${nodeName}" has no output, ${reason}`);
	}
	return items as OutputItem[];
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The error that stopped the run (`data.resultData.error`), or undefined for a run without one. */
export function executionError(run: unknown): ExecutionErrorInfo | undefined {
	const error = at(run, 'data', 'resultData', 'error');
	if (!isObject(error)) return undefined;
	return {
		message: optionalString(error.message) ?? 'unknown error',
		description: optionalString(error.description),
		nodeName: optionalString(at(error, 'node', 'name')),
	};
}

/** When the node's run ended, from its startTime and executionTime (ms since the epoch). */
export function nodeRunEnd(run: unknown, nodeName: string): number | undefined {
	const nodeRun = at(run, 'data', 'resultData', 'runData', nodeName, 0);
	const start = at(nodeRun, 'startTime');
	const took = at(nodeRun, 'executionTime');
	return typeof start === 'number' && typeof took === 'number' ? start + took : undefined;
}
