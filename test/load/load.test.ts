/**
 * Load: 200 items in one execution against a simulator that allows 10 API requests a second and
 * answers 429 beyond that. Every item must complete, once. Prints the time and requests taken;
 * nothing here asserts on time.
 */
import { API_KEY, everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(600_000);

const simulator = useTestSimulator({ rateLimitPerSecond: 10, taskDurationMs: 500 });

it('runs 200 items through a 10 requests/s rate limit with no item lost and no duplicate task', async () => {
	const items = 200;
	const started = Date.now();
	const result = await runSpark(simulator(), {
		parameters: {
			operation: 'createAndWait',
			imageUrl: fixtureUrl(simulator()),
			width: 512,
			height: 512,
			prompt: '={{ "portrait " + $json.n }}',
			options: { maxParallel: 10, downloadImage: false },
		},
		inputItems: Array.from({ length: items }, (_, n) => ({ n })),
	});
	const seconds = (Date.now() - started) / 1000;

	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(items);
	expect(result.items.every((item) => item.json.status === 'completed')).toBe(true);
	expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: items }, (_, item) => ({ item })));
	// Each output belongs to its own input: the prompt carried the item number.
	expect(result.items.map((item) => (item.json.metadata as { prompt?: string }).prompt)).toEqual(
		Array.from({ length: items }, (_, n) => `portrait ${n}`),
	);
	const taskIds = result.items.map((item) => item.json.taskId);
	expect(new Set(taskIds).size).toBe(items);

	const creates = simulator().requestsTo('create');
	const created = creates.filter((r) => r.statusCode === 200);
	expect(created).toHaveLength(items);
	expect(everyText(result)).not.toContain(API_KEY);

	const statuses = simulator().requestsTo('status');
	const limited = [...creates, ...statuses].filter((r) => r.statusCode === 429).length;
	console.log(
		`load: ${items} items in ${seconds.toFixed(1)} s; create requests ${creates.length} (${created.length} created), ` +
			`status requests ${statuses.length}, 429 answers ${limited}`,
	);
});
