/** The wire format's types and what the node makes of it; responses arrive as `unknown` and are checked once, in parse.ts. */
import type { GEN_MODES } from './constants';
import type { TaskFacts } from '../errors/failures';

export type GenMode = (typeof GEN_MODES)[number];

/** The fields of a create request; requestFormat.ts puts them into the body the API receives. */
export interface CreateTaskBody {
	model: string;
	image_input: string;
	/** Omitted when the user clears the prompt: the API then switches to reference mode. */
	prompt?: string;
	width: number;
	height: number;
	gpen: number;
	skin: number;
	skin_unifi: number;
	gen_mode?: GenMode;
	seed: string;
}

export type CreateTaskRequest = CreateTaskBody | { model: string; input: Array<{ params: Omit<CreateTaskBody, 'model'> }> };

/** The statuses the node reports; `timeout` is ours (the wait ended before the task did). */
export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'timeout';

export interface SparkImage {
	type: string;
	url: string;
	size?: number;
	jobId?: string;
}

export interface SparkUsage {
	cost?: string;
	quantity?: number;
	unitPrice?: string;
	discount?: number;
}

/** One task as the node understands it, whatever envelope or field names the server used. */
export interface SparkTask extends TaskFacts {
	status: Exclude<TaskStatus, 'timeout'>;
	/** The status word as the server sent it, kept for troubleshooting. */
	rawStatus: string;
	images: SparkImage[];
	usage?: SparkUsage;
	metadata?: Record<string, unknown>;
	/** Share of the work done, 0-1, when the server reports it (Vtrix: only while in_progress). */
	progress?: number;
	/** When the task was created, as ISO text, when the server says. */
	createdAt?: string;
	/** What the answer held that the node could not use (a field left out, a status taken as pending). */
	notes?: string[];
}
