import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Pacing } from '../helpers/pacing';
import type { RunScope } from '../helpers/resume';
import type { StagedImage } from '../helpers/staging';
import type { Clock } from '../transport/clock';
import type { SparkClient } from '../transport';
import type { StagingClient } from '../transport/staging';

/** What an operation gets for one input item. */
export interface ItemRun {
	ctx: IExecuteFunctions;
	client: SparkClient;
	itemIndex: number;
	clock: Clock;
	/** Aborts when the execution is cancelled. Create requests listen to this one only. */
	executionSignal?: AbortSignal;
	/** Also aborts when another item failed the run: polling and downloads stop. */
	signal: AbortSignal;
	/** Set as soon as a task id is known, so every later error of the item carries it. */
	taskId?: string;
	/** Tasks created for this item (more than one after resubmissions). */
	createdTaskIds: string[];
	/** Where the polling schedule learns task times from: the process's, or the run's own. */
	pacing: Pacing;
	/** The staging bucket's client, made on first use (binary input only). */
	staging: () => Promise<StagingClient>;
	/** Said at the end of the item's error, if it fails (e.g. a staged image that could not be deleted). */
	notes: string[];
	/** A create request whose answer has not arrived: a batch stop does not wait for it. */
	createInFlight?: boolean;
	/** This node run, for the resume registry; unset where nothing can be resumed (no execution id). */
	scope?: RunScope;
	/** The item's key in the resume registry, once the operation has one. */
	resumeKey?: string;
	/** A staged image of a failed item whose task lives: kept for n8n's next try, or deleted, by the router. */
	heldImage?: StagedImage;
	/** Set when the item picked up the task of an earlier try: the runs that worked on it. */
	resumedTries?: number;
}

/**
 * An operation reads and checks its parameters first (`prepare`, no requests; a binary input
 * image is read and checked here too), so bad input of any item stops the run before anything
 * is uploaded or billed; `execute` then does the requests for one item.
 */
export interface Operation<Plan> {
	description: INodeProperties[];
	prepare(ctx: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(run: ItemRun, plan: Plan): Promise<INodeExecutionData>;
}
