/**
 * The execution's cancel signal outlives the node: in n8n one execution runs the node again for
 * Retry On Fail, and a long-lived process runs many. Each run of the node adds an abort listener
 * to stop its items; it must leave the signal with the listeners it found, however the run ends,
 * or every run leaks a closure over its whole batch into the execution.
 */
import { getEventListeners } from 'node:events';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SparkPortraitVtrixApi } from '../../credentials/SparkPortraitVtrixApi.credentials';
import { SparkPortrait } from '../../nodes/SparkPortrait/SparkPortrait.node';
import { runNode } from '../harness';
import { credentialFor, fixtureUrl, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

/** The node, noting the abort listeners on the execution's signal before and after each of its runs. */
function countingNode(counts: Array<{ before: number; after: number }>): SparkPortrait {
	const node = new SparkPortrait();
	const execute = node.execute;
	node.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const signal = this.getExecutionCancelSignal?.();
		if (!signal) throw new Error('n8n-core gave the node no execution cancel signal');
		const before = getEventListeners(signal, 'abort').length;
		try {
			return await execute.call(this);
		} finally {
			counts.push({ before, after: getEventListeners(signal, 'abort').length });
		}
	};
	return node;
}

async function runCounting(options: { items: number; continueOnFail?: boolean; retryOnFail?: { maxTries: number; waitBetweenTries: number } }) {
	const counts: Array<{ before: number; after: number }> = [];
	const sim = simulator();
	const result = await runNode({
		nodeType: countingNode(counts),
		credentialTypes: [new SparkPortraitVtrixApi()],
		credentials: { sparkPortraitVtrixApi: credentialFor(sim) },
		parameters: { operation: 'createAndWait', imageUrl: fixtureUrl(sim), prompt: 'listener test', options: { pollInterval: 0.1, maxParallel: 2 } },
		inputItems: Array.from({ length: options.items }, () => ({})),
		continueOnFail: options.continueOnFail,
		retryOnFail: options.retryOnFail,
	});
	return { result, counts };
}

describe('the abort listener on the execution signal', () => {
	it('is removed after a run that succeeds', async () => {
		const { result, counts } = await runCounting({ items: 3 });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(counts).toEqual([{ before: 0, after: 0 }]);
	});

	it('is removed after a run that fails, and after each run n8n makes under Retry On Fail', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, after: 1 });
		const { result, counts } = await runCounting({ items: 2, retryOnFail: { maxTries: 2, waitBetweenTries: 10 } });
		expect(result.error).toBeUndefined();
		expect(counts).toEqual([{ before: 0, after: 0 }, { before: 0, after: 0 }]);
	});

	it('is removed when a failure is only an error item (Continue On Fail)', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, times: Infinity });
		const { result, counts } = await runCounting({ items: 2, continueOnFail: true });
		expect(result.items.map((item) => item.json.error !== undefined)).toEqual([true, true]);
		expect(counts).toEqual([{ before: 0, after: 0 }]);
	});
});
