import { jsonReply, type Reply } from './httpIo';
import { parseFaults, parseOptions, parseOutcomes } from './parseControl';
import type { SimulatorHandle } from './types';

/**
 * The /__sim/ routes: the same control as the handle, for a node running in another process.
 * No auth, because only tests on loopback talk to it.
 */
export function handleControl(sim: SimulatorHandle, method: string, action: string, body: unknown): Reply {
	try {
		return route(sim, method, action, body);
	} catch (error) {
		return jsonReply(400, { error: { code: '400', error_message: error instanceof Error ? error.message : String(error) } });
	}
}

function route(sim: SimulatorHandle, method: string, action: string, body: unknown): Reply {
	if (method === 'GET' && action === 'requests') return jsonReply(200, sim.requests);
	if (method === 'GET' && action.startsWith('tasks/')) {
		const task = sim.task(decodeURIComponent(action.slice('tasks/'.length)));
		return task ? jsonReply(200, task) : jsonReply(404, { error: { code: '404', error_message: 'Task not found' } });
	}
	if (method === 'POST' && action === 'faults') {
		const faults = parseFaults(body);
		faults.forEach((fault) => sim.injectFault(fault));
		return jsonReply(200, { ok: true, queued: faults.length });
	}
	if (method === 'POST' && action === 'outcomes') {
		const outcomes = parseOutcomes(body);
		sim.setNextTaskOutcomes(...outcomes);
		return jsonReply(200, { ok: true, queued: outcomes.length });
	}
	if (method === 'POST' && action === 'configure') {
		sim.configure(parseOptions(body));
		const { log: _log, ...options } = sim.options;
		return jsonReply(200, { ok: true, options });
	}
	if (method === 'POST' && action === 'reset') {
		sim.reset();
		return jsonReply(200, { ok: true });
	}
	return jsonReply(404, { error: { code: '404', error_message: `No control route ${method} /__sim/${action}` } });
}
