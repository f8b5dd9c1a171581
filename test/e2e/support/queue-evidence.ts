/**
 * What a failed queue-mode test leaves behind, so its cause can be told: each process's log (kept in
 * the stack's folder, which is then not removed), n8n's data of every execution that did not succeed,
 * Bull's stalled / failed announcements, and a summary printed with the failure: how each worker
 * ended and its last lines, its event-loop stalls, rejections and memory (worker-probe.js), and the
 * executions the main's queue recovery marked crashed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { ExecutionSummary, N8nApi } from './n8n-api';
import type { QueueStack } from './queue-stack';
import type { BullEventLog } from './redis-events';

const LAST_LINES = 25;

/** What worker-probe.js prints when something could take a worker down. */
export const CRASH_SIGNS = /^\[probe\] \S+ \S+ (unhandled rejection|uncaughtException|unhandledRejection)/m;

/**
 * When the probe last printed its periodic report into `log` (ms since the epoch). Anything the
 * worker printed before that moment is in the log by then: the pipe keeps the order.
 */
export function lastProbeReport(log: string): number | undefined {
	const times = [...log.matchAll(/^\[probe\] \S+ (\S+) max event-loop lag/gm)].map((match) => Date.parse(match[1]));
	return times.at(-1);
}

const lastLines = (text: string, count = LAST_LINES) => text.trimEnd().split('\n').slice(-count).join('\n');
const probeLines = (text: string) => text.split('\n').filter((line) => line.startsWith('[probe]') && !line.includes('max event-loop lag'));
const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1]);

/** Job id → execution id, from the main's `Enqueued execution X (job Y)` lines. */
function executionsOfJobs(mainLog: string): Map<string, string> {
	return new Map([...mainLog.matchAll(/Enqueued execution (\d+) \(job (\d+)\)/g)].map((match) => [match[2], match[1]]));
}

/** The summary of one worker: how it ended, what the probe saw, how often it started each execution. */
function workerReport(name: string, log: string, exitReason: string | undefined): string {
	const starts = matches(log, /Worker started execution (\d+)/g);
	const probe = probeLines(log);
	const lastProbe = log.split('\n').filter((line) => line.includes('max event-loop lag')).at(-1);
	return [
		`── ${name}: ${exitReason ? `exited (${exitReason})` : 'running'}; started executions ${starts.join(' ') || 'none'}`,
		lastProbe ?? '(no probe summary)',
		...(probe.length > 0 ? ['probe:', ...probe] : ['probe: no event-loop stall ≥ 1 s, no unhandled rejection or uncaught exception']),
		`last ${LAST_LINES} lines:`,
		lastLines(log),
	].join('\n');
}

export interface EvidenceInput {
	stack: QueueStack;
	api: N8nApi;
	folder: string;
	bull: BullEventLog;
	/** The executions of the failed test (all of them are looked at; the unsuccessful ones are saved whole). */
	executions: () => Promise<ExecutionSummary[]>;
	/** Workers the test stopped on purpose, so their exit is not read as a crash. */
	killedOnPurpose?: string[];
	/** The longest event-loop stall of the test's own process, where the simulator runs. */
	testProcessMaxLagMs?: number;
}

/** Writes the evidence into `<folder>/evidence` and returns the summary to print. */
export async function collectEvidence(input: EvidenceInput, failure: unknown): Promise<string> {
	const { stack, folder } = input;
	const dir = path.join(folder, 'evidence');
	mkdirSync(dir, { recursive: true });
	const mainLog = stack.main.daemon.output();
	const jobs = executionsOfJobs(mainLog);
	const bullEvents = input.bull.events().map((event) => ({ ...event, executionId: jobs.get(event.message), time: new Date(event.at).toISOString() }));
	writeFileSync(path.join(dir, 'bull-events.json'), JSON.stringify(bullEvents, null, 2));

	const workerLogs = stack.workers.map((worker) => worker.daemon.output()).join('\n');
	let executions: ExecutionSummary[] = [];
	const unsuccessful: string[] = [];
	try {
		executions = await input.executions();
		for (const execution of executions.filter((one) => one.status !== 'success')) {
			const data = await input.api.getExecution(execution.id);
			writeFileSync(path.join(dir, `execution-${execution.id}.json`), JSON.stringify(data, null, 2));
			const count = (pattern: string) => workerLogs.split(`${pattern} ${execution.id} `).length - 1;
			const ranNodes = Object.keys(data.data?.resultData?.runData ?? {}).join(', ') || 'none';
			unsuccessful.push(
				`execution ${execution.id}: ${execution.status}, started ${count('Worker started execution')}×, finished ${count('Worker finished execution')}× by workers; ` +
					`nodes with data: ${ranNodes}; error: ${data.data?.resultData?.error?.message ?? 'none'}; ${execution.startedAt ?? '?'} → ${execution.stoppedAt ?? '?'}`,
			);
		}
	} catch (error) {
		writeFileSync(path.join(dir, 'executions-error.txt'), String(error));
	}

	const stalled = bullEvents.filter((event) => event.event === 'stalled@');
	const failedStalled = bullEvents.filter((event) => event.event === 'failed' && event.message.includes('stalled'));
	const recoveries = mainLog.split('recovered dangling executions').length - 1;
	const unexpectedExits = stack.workers
		.filter((worker) => worker.daemon.hasExited() && !(input.killedOnPurpose ?? []).includes(worker.name))
		.map((worker) => `${worker.name} (${worker.daemon.exitReason()})`);
	const statuses = executions.reduce<Record<string, number>>((counts, one) => ({ ...counts, [one.status]: (counts[one.status] ?? 0) + 1 }), {});
	const summary = [
		`queue-mode evidence (kept in ${folder}; logs/ and evidence/):`,
		`failure: ${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}`,
		`execution statuses: ${JSON.stringify(statuses)}`,
		`workers that exited unasked: ${unexpectedExits.join(', ') || 'none'}`,
		`test process (simulator): longest event-loop stall ${input.testProcessMaxLagMs === undefined ? '?' : Math.round(input.testProcessMaxLagMs)} ms`,
		`Bull found stalled (lock lapsed, job moved back to wait): ${stalled.map((event) => `job ${event.message} = execution ${event.executionId ?? '?'} at ${event.time}`).join('; ') || 'none'}`,
		`Bull failed as stalled more than allowed: ${failedStalled.map((event) => `${event.message} (execution ${event.executionId ?? '?'})`).join('; ') || 'none'}`,
		`main's queue recovery found dangling executions (marked them crashed): ${recoveries} time(s)`,
		...unsuccessful,
		...stack.workers.map((worker) => workerReport(worker.name, worker.daemon.output(), worker.daemon.exitReason())),
		`── main: last lines\n${lastLines(mainLog, 15)}`,
	].join('\n');
	writeFileSync(path.join(dir, 'summary.txt'), summary);
	return summary;
}
