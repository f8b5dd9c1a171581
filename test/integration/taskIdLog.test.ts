/**
 * Issue 20 part 8: the task id is the server's to choose. In n8n's log it is quoted and cut, so a
 * newline cannot forge a second line and 200 KB cannot flood the log; the output keeps it exact.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

it('a task id with a newline and 200 KB is logged quoted on one short line, and output exact', async () => {
	const taskId = `task_1\n2026-01-01T00:00:00.000Z | info | forged line ${'x'.repeat(200_000)}`;
	simulator().injectFault({ route: 'create', kind: 'http', statusCode: 200, body: { id: taskId, status: 'pending' } });
	const info = jest.spyOn(Container.get(Logger), 'info');
	try {
		const result = await runSpark(simulator(), { parameters: { operation: 'create', imageUrl: fixtureUrl(simulator()) } });
		expect(result.items[0].json.taskId).toBe(taskId);
		const lines = info.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('Spark Portrait created task'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).not.toMatch(/[\n\r]/);
		expect(lines[0]).toContain('"task_1\\n2026-01-01');
		expect(lines[0].length).toBeLessThan(300);
	} finally {
		info.mockRestore();
	}
});
