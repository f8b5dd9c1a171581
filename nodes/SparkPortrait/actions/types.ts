import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemRun } from '../run/itemRun';

/**
 * An operation reads and checks its parameters first (`prepare`, no requests; a binary input
 * image is read and checked here too), so bad input of any item stops the run before anything
 * is uploaded or billed; `execute` then does the requests for one item.
 */
export interface Operation<Plan> {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(run: ItemRun, plan: Plan): Promise<INodeExecutionData>;
}

/** An item its operation has prepared: what is left is to run it. */
export type PreparedItem = (run: ItemRun) => Promise<INodeExecutionData>;

/** Any operation, its plan type hidden behind the prepared item (so the router needs no casts). */
export interface RunnableOperation {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedItem>;
}

export function runnable<Plan>(operation: Operation<Plan>): RunnableOperation {
	return {
		prepare: async (ctx, itemIndex) => {
			const plan = await operation.prepare(ctx, itemIndex);
			return async (run) => await operation.execute(run, plan);
		},
	};
}
