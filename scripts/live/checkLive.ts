/**
 * `npm run check:live`: does the live Vtrix API answer the way docs/vtrix-api.md assumes? For the first
 * maintainer with a key. With SPARK_API_KEY (and SPARK_LIVE_IMAGE_URL, a public portrait) it reads a
 * task that cannot exist, creates ONE task at the cheapest settings with the default Request Format,
 * reads it until it ends and downloads the result, all through the node itself (its operations, run
 * by n8n-core's engine, so its own client and parsing). A loopback proxy in front of the API records
 * each exchange with the key removed. Then it prints a report: the exchanges, the answer forms seen,
 * each assumption held or not, and the cost. SPARK_BASE_URL points it elsewhere (CI: the simulator).
 *
 *   SPARK_API_KEY=… SPARK_LIVE_IMAGE_URL=https://… npm run check:live [-- --yes]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';

import type { INodeExecutionData } from 'n8n-workflow';

// The node and its credential as n8n loads them, run by the test harness (n8n-core's WorkflowExecute).
import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { DEFAULT_BASE_URL, DEFAULT_CREATE_TASK_PATH, DEFAULT_TASK_STATUS_PATH } from '../../nodes/SparkPortrait/api/paths';
import type { SparkPortrait as SparkPortraitNode } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { getBinaryBuffer, runNode } from '../../test/harness';
import { startRecordingProxy, withoutKey, type Exchange } from './recordingProxy';

// Under ts-node `SparkPortrait.node` resolves to the codex file SparkPortrait.node.json first: name the source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SparkPortrait } = require('../../nodes/SparkPortrait/SparkPortrait.node.ts') as { SparkPortrait: typeof SparkPortraitNode };

const NO_SUCH_TASK = 'n8n-live-check-no-such-task-0000';
const POLL_MS = 3_000;
const GIVE_UP_MS = 10 * 60_000;
const KNOWN_STATUS_WORDS = ['in_progress', 'completed', 'failed', 'pending', 'processing'];
/** The cheapest task: the smallest size the API takes; everything else at the node's defaults. */
const CHEAPEST = { width: 512, height: 512 };

export interface LiveCheckOptions {
	apiKey?: string;
	baseUrl?: string;
	imageUrl?: string;
	/** Skip the question (CI, scripts). */
	yes?: boolean;
	/** Where the report and the image go. */
	outDir?: string;
	print?: (line: string) => void;
	/** Asks before the paid step; default: the terminal. */
	confirm?: (question: string) => Promise<boolean>;
}

export interface LiveCheckResult {
	exitCode: number;
	report?: string;
}

interface Assumption {
	claim: string;
	held: boolean | undefined;
	seen: string;
}

async function askTerminal(question: string): Promise<boolean> {
	if (!process.stdin.isTTY) return false;
	const terminal = createInterface({ input: process.stdin, output: process.stdout });
	try {
		return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
	} finally {
		terminal.close();
	}
}

function parseJson(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** A field at the answer's top level or under `data`, where the sources put them. */
function field(answer: Record<string, unknown> | undefined, name: string): unknown {
	const data = answer?.data;
	return answer?.[name] ?? (typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined);
}

async function runSpark(credential: Record<string, unknown>, parameters: Record<string, unknown>) {
	return await runNode({
		nodeType: new SparkPortrait(),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: credential as never },
		parameters: parameters as never,
	});
}

function exchangeLines(exchanges: Exchange[]): string[] {
	return exchanges.flatMap((exchange, index) => [
		`### ${index + 1}. ${exchange.method} ${exchange.path} → ${exchange.status || 'no answer'} ${exchange.contentType}`,
		...(exchange.requestBody ? ['Sent:', '```', exchange.requestBody, '```'] : []),
		'Answered:',
		'```',
		exchange.answer || '(empty)',
		'```',
	]);
}

export async function runLiveCheck(options: LiveCheckOptions): Promise<LiveCheckResult> {
	const print = options.print ?? ((line: string) => console.log(line));
	const { apiKey, imageUrl } = options;
	const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
	if (!apiKey) {
		print('check:live needs a Vtrix API key in SPARK_API_KEY (vtrix.ai → Settings → API Keys). Nothing was sent.');
		return { exitCode: 2 };
	}
	if (!imageUrl) {
		print('check:live needs SPARK_LIVE_IMAGE_URL: a public http(s) URL of a JPG or PNG of one person. Nothing was sent.');
		return { exitCode: 2 };
	}
	print(`check:live will create ONE paid task on ${baseUrl} (${CHEAPEST.width} x ${CHEAPEST.height}, the node's other defaults), after reading a task that cannot exist.`);
	const go = options.yes === true || (await (options.confirm ?? askTerminal)('Create that one paid task?'));
	if (!go) {
		print('Nothing was sent. Run it again and answer y, or pass --yes.');
		return { exitCode: 1 };
	}

	const proxy = await startRecordingProxy(baseUrl, apiKey);
	// The node's own defaults for everything but the address: Vtrix's paths and Request Format.
	const credential = { apiKey, customEndpoint: true, customBaseUrl: proxy.url };
	const assumptions: Assumption[] = [];
	let cost = 'unknown';
	let imageLine = 'not downloaded';
	try {
		print(`1. Reading a task that cannot exist (${NO_SUCH_TASK}) ...`);
		await runSpark(credential, { operation: 'getStatus', taskId: NO_SUCH_TASK, options: { downloadImage: false } });
		const unknownTask = proxy.exchanges.at(-1);

		print('2. Creating one task ...');
		const created = await runSpark(credential, { operation: 'create', imageUrl, ...CHEAPEST, options: {} });
		const createExchange = proxy.exchanges.find((exchange) => exchange.method === 'POST');
		const taskId = created.items[0]?.json.taskId as string | undefined;
		if (created.error || !taskId) print(`   the create failed: ${created.error?.message ?? 'no task id in the answer'}`);

		let final: INodeExecutionData | undefined;
		if (taskId) {
			print(`3. Reading task ${taskId} until it ends, then downloading the result ...`);
			const started = Date.now();
			for (;;) {
				const read = await runSpark(credential, { operation: 'getStatus', taskId, options: { downloadImage: false } });
				const status = read.items[0]?.json.status;
				if (read.error || status === 'completed' || status === 'failed' || Date.now() - started > GIVE_UP_MS) break;
				print(`   ${String(status)} (${Math.round((Date.now() - started) / 1000)} s)`);
				await new Promise((resolve) => setTimeout(resolve, POLL_MS));
			}
			const last = await runSpark(credential, { operation: 'getStatus', taskId, options: { downloadImage: true } });
			final = last.items[0];
			const usage = final?.json.usage as { cost?: unknown } | undefined;
			if (usage?.cost !== undefined) cost = `${String(usage.cost)} (as the API reported it)`;
			const binary = final?.binary?.data;
			if (final && binary) {
				const bytes = await getBinaryBuffer(final);
				const outDir = options.outDir ?? path.join(process.cwd(), 'out');
				mkdirSync(outDir, { recursive: true });
				const file = path.join(outDir, binary.fileName ?? `live-${taskId}.jpg`);
				writeFileSync(file, bytes);
				imageLine = `${file} (${bytes.length} bytes, ${binary.mimeType})`;
			}
		}

		const answers = proxy.exchanges.map((exchange) => ({ exchange, json: parseJson(exchange.answer) }));
		const statusAnswers = answers.filter(({ exchange }) => exchange.method === 'GET' && exchange !== unknownTask);
		const createJson = parseJson(createExchange?.answer ?? '');
		const words = [...new Set(statusAnswers.map(({ json }) => field(json, 'status')).filter((word) => word !== undefined).map(String))];
		const createdAt = statusAnswers.map(({ json }) => field(json, 'created_at')).find((value) => value !== undefined);
		const usageSeen = statusAnswers.map(({ json }) => field(json, 'usage')).find((value) => typeof value === 'object' && value !== null) as Record<string, unknown> | undefined;
		const progressSeen = statusAnswers.some(({ json }) => field(json, 'progress') !== undefined);
		const refused = proxy.exchanges.filter((exchange) => exchange.status === 401 || exchange.status === 403);

		assumptions.push(
			{ claim: 'Authorization: Bearer <key> is accepted', held: refused.length === 0, seen: refused.length === 0 ? 'no 401/403' : `${refused.length} answers 401/403` },
			{
				claim: `A task that does not exist answers 404 (the credential's Test button relies on it)`,
				held: unknownTask?.status === 404,
				seen: `${unknownTask?.status ?? 'no answer'}`,
			},
			{
				claim: `POST ${DEFAULT_CREATE_TASK_PATH} with the Vtrix Client body ({model, input: [{params}]}) creates a task`,
				held: createExchange !== undefined && createExchange.status >= 200 && createExchange.status < 300 && taskId !== undefined,
				seen: `${createExchange?.status ?? 'not sent'}${taskId ? `, task ${taskId}` : ''}`,
			},
			{
				claim: 'The task id comes as `id` or `task_id`',
				held: field(createJson, 'id') !== undefined || field(createJson, 'task_id') !== undefined,
				seen: ['id', 'task_id'].filter((name) => field(createJson, name) !== undefined).join(', ') || 'neither',
			},
			{
				claim: `GET ${DEFAULT_TASK_STATUS_PATH} reads the task`,
				held: statusAnswers.length > 0 && statusAnswers.every(({ exchange }) => exchange.status === 200),
				seen: statusAnswers.map(({ exchange }) => exchange.status).join(', ') || 'no reads',
			},
			{
				claim: `Status words are among ${KNOWN_STATUS_WORDS.join(', ')}`,
				held: words.length > 0 && words.every((word) => KNOWN_STATUS_WORDS.includes(word)),
				seen: words.join(', ') || 'none',
			},
			{
				claim: '`created_at` is Unix seconds or ISO text',
				held: createdAt === undefined ? undefined : typeof createdAt === 'number' || (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))),
				seen: createdAt === undefined ? 'absent' : `${typeof createdAt} ${JSON.stringify(createdAt)}`,
			},
			{
				claim: '`usage` has cost, quantity, unit_price, discount',
				held: usageSeen === undefined ? undefined : ['cost', 'quantity', 'unit_price', 'discount'].every((key) => key in usageSeen),
				seen: usageSeen ? Object.keys(usageSeen).join(', ') : 'absent',
			},
			{ claim: '`progress` (0 to 1) while the task runs', held: progressSeen ? true : undefined, seen: progressSeen ? 'seen' : 'not seen (the task may have ended before a read)' },
			{
				claim: 'The result image downloads',
				held: final?.binary?.data !== undefined,
				seen: imageLine,
			},
		);
	} finally {
		await proxy.close();
	}

	const mark = (held: boolean | undefined) => (held === true ? 'held' : held === false ? '**did not hold**' : 'not seen');
	const report = withoutKey(
		[
			`# check:live report, ${new Date().toISOString()}`,
			'',
			`API: ${baseUrl}; Request Format: Vtrix Client (the default); one task at ${CHEAPEST.width} x ${CHEAPEST.height}.`,
			`Cost: ${cost}.`,
			`Image: ${imageLine}.`,
			'',
			'## The assumptions of docs/vtrix-api.md',
			'',
			'| Assumption | Result | Seen |',
			'| --- | --- | --- |',
			...assumptions.map((item) => `| ${item.claim} | ${mark(item.held)} | ${item.seen} |`),
			'',
			'## Every exchange (the key removed)',
			'',
			...exchangeLines(proxy.exchanges),
		].join('\n'),
		apiKey,
	);
	const outDir = options.outDir ?? path.join(process.cwd(), 'out');
	mkdirSync(outDir, { recursive: true });
	const reportFile = path.join(outDir, 'live-check-report.md');
	writeFileSync(reportFile, `${report}\n`);
	print(report);
	print(`\nThe report is also in ${reportFile}. Attach it to an issue (it holds no key): docs/vtrix-api.md says what to do with it.`);
	return { exitCode: assumptions.some((item) => item.held === false) ? 1 : 0, report };
}

if (require.main === module) {
	runLiveCheck({
		apiKey: process.env.SPARK_API_KEY,
		baseUrl: process.env.SPARK_BASE_URL,
		imageUrl: process.env.SPARK_LIVE_IMAGE_URL,
		yes: process.argv.includes('--yes'),
	})
		.then((result) => process.exit(result.exitCode))
		.catch((error: unknown) => {
			console.error(`check:live: ${error instanceof Error ? error.message : String(error)}`);
			process.exit(1);
		});
}
