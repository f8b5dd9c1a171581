/**
 * Issue 20 part 8: the task id is the server's to choose. In n8n's log it is quoted and cut, so a
 * newline cannot forge a second line and 200 KB cannot flood the log; the output keeps it exact.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { errorDescription, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

/** Create Task of a task the server names `taskId`: the task id in the output, and the "created task" log lines. */
async function createdTask(taskId: string): Promise<{ outputId: unknown; lines: string[] }> {
	simulator().injectFault({ route: 'create', kind: 'http', statusCode: 200, body: { id: taskId, status: 'pending' } });
	const info = jest.spyOn(Container.get(Logger), 'info');
	try {
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) } });
		const lines = info.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('Spark Portrait created task'));
		return { outputId: result.items[0]?.json.taskId, lines };
	} finally {
		info.mockRestore();
	}
}

it('a task id with a newline and 200 KB is logged quoted on one short line, and output exact', async () => {
	const taskId = `task_1\n2026-01-01T00:00:00.000Z | info | forged line ${'x'.repeat(200_000)}`;
	const { outputId, lines } = await createdTask(taskId);
	expect(outputId).toBe(taskId);
	expect(lines).toHaveLength(1);
	expect(lines[0]).not.toMatch(/[\n\r]/);
	expect(lines[0]).toContain('"task_1\\n2026-01-01');
	expect(lines[0].length).toBeLessThan(300);
});

// Issue 28 part 9: characters JSON leaves raw that a terminal or log viewer still obeys.
it.each([
	['NEL (U+0085), a line break in some viewers', 'task_\u0085forged', '"task_\\u0085forged"'],
	['CSI (U+009B), an escape sequence in a terminal', 'task_\u009b2Jforged', '"task_\\u009b2Jforged"'],
	['a right-to-left override (U+202E)', 'task_\u202egpj.exe', '"task_\\u202egpj.exe"'],
	['isolates and marks (U+2066, U+200F, U+061C)', 'a\u2066b\u200fc\u061cd', '"a\\u2066b\\u200fc\\u061cd"'],
])('a task id with %s is logged escaped, and output exact', async (_name, taskId, logged) => {
	const { outputId, lines } = await createdTask(taskId);
	expect(outputId).toBe(taskId);
	expect(lines).toEqual([expect.stringContaining(`created task ${logged} (execution`)]);
	expect(lines[0]).not.toMatch(/[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
});

it('a task id from the server with half a character pair: Edit Portrait names the id\'s problem, not "URI malformed"', async () => {
	const taskId = 'task_\udc00x';
	simulator().injectFault({ route: 'create', kind: 'http', statusCode: 200, body: { id: taskId, status: 'pending' } });
	const result = await runSpark(simulator(), { parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(simulator()) } });
	expect(result.error?.message).toBe('Task ID must be valid Unicode text, but it holds half of a character pair (U+DC00) at position 6, which no URL can carry; got "task_\\udc00x"');
	expect(errorDescription(result)).toContain(`Task ID: ${taskId}`);
	expect(simulator().requestsTo('create')).toHaveLength(1);
});
