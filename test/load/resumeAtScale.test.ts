/**
 * Issue 20 part 1: Retry On Fail must not pay twice however many items are in play. The tasks a
 * run created stay with it while n8n may still run the node again, in the same execution or while
 * other executions run in the same process; they end when that run is over.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { resumeRegistry } from '../../nodes/SparkPortrait/run/resume';
import { credentialFor, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(180_000);

const simulator = useTestSimulator();

beforeEach(() => {
	// No task is read here: its picture work waits past the end of the test, instead of thousands of edits.
	simulator().configure({ inputFetchDelayMs: 600_000 });
});

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const createTask = () => ({ operation: 'create', imageUrl: fixtureUrl(simulator()), options: { maxParallel: 50, maxRetries: 0 } });
const accepted = () => simulator().requestsTo('create').filter((request) => request.statusCode === 200);

/**
 * A gate in front of the simulator for one execution's requests: it holds that execution's
 * `holdAt`-th create until `refuse()` and then answers it 400, so another execution can run
 * in between, whatever the speed of the machine.
 */
async function startCreateGate(target: string, holdAt: number) {
	// Connections reused: a new one per create, 50 at a time, overflows the listen queue of a loaded machine.
	const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
	let creates = 0;
	let markHeld: () => void = () => undefined;
	let refuse: () => void = () => undefined;
	const held = new Promise<void>((resolve) => (markHeld = resolve));
	const refused = new Promise<void>((resolve) => (refuse = resolve));
	const server = http.createServer((req, res) => {
		const body: Buffer[] = [];
		req.on('data', (chunk: Buffer) => body.push(chunk));
		req.on('end', () => {
			if (req.method === 'POST' && ++creates === holdAt) {
				markHeld();
				void refused.then(() => {
					res.writeHead(400, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ code: 400, message: 'refused by the gate' }));
				});
				return;
			}
			const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers, agent }, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			upstream.on('error', (error) => res.destroy(error));
			upstream.end(Buffer.concat(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		creates: () => creates,
		held,
		refuse: () => refuse(),
		close: async () => {
			agent.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('Retry On Fail with more items than the old cap of 2,000', () => {
	it('2,010 items, the last create refused once: 2,011 creates, every other task resumed', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, after: 2009 });
		const result = await runSpark(simulator(), {
			parameters: createTask(),
			inputItems: items(2010),
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error).toBeUndefined();
		expect(simulator().requestsTo('create')).toHaveLength(2011);
		expect(result.items).toHaveLength(2010);
		expect(result.items.filter((item) => item.json.resumed === true)).toHaveLength(2009);
		expect(new Set(result.items.map((item) => item.json.taskId)).size).toBe(2010);
		// The run delivered its output: nothing of it is kept.
		expect(resumeRegistry.size).toBe(0);
	});

	it('a 600-item execution while a 1,500-item one waits to retry: no task of either is created twice', async () => {
		const gate = await startCreateGate(simulator().url, 1500);
		try {
			const runA = runSpark(simulator(), {
				parameters: createTask(),
				inputItems: items(1500),
				retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
				credential: credentialFor(simulator(), { baseUrl: gate.url }),
			});
			// Run A's 1,499 tasks exist; its last create is on hold, so A will fail and be retried.
			await gate.held;
			const runB = await runSpark(simulator(), { parameters: createTask(), inputItems: items(600) });
			expect(runB.error).toBeUndefined();
			gate.refuse();
			const a = await runA;
			expect(a.error).toBeUndefined();
			expect(gate.creates()).toBe(1501);
			expect(accepted()).toHaveLength(1499 + 600 + 1);
			expect(a.items.filter((item) => item.json.resumed === true)).toHaveLength(1499);
			expect(resumeRegistry.size).toBe(0);
		} finally {
			await gate.close();
		}
	});

	it('a run whose last try failed keeps nothing', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, after: 2, times: 2 });
		const result = await runSpark(simulator(), {
			parameters: createTask(),
			inputItems: items(3),
			retryOnFail: { maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.error?.message).toContain('400');
		expect(simulator().requestsTo('create')).toHaveLength(4);
		expect(resumeRegistry.size).toBe(0);
	});
});
