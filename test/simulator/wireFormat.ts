import type { TaskState } from './taskStore';
import type { CanonicalStatus, ResolvedOptions, StatusWords, TaskError, TaskParams } from './types';
import { MODEL } from './validateCreate';

type Json = Record<string, unknown>;

const WORDS: Record<StatusWords, Record<CanonicalStatus, string>> = {
	// Vtrix's model pages and its own client name one state before the end.
	vtrix: { pending: 'in_progress', processing: 'in_progress', completed: 'completed', failed: 'failed' },
	canonical: { pending: 'pending', processing: 'processing', completed: 'completed', failed: 'failed' },
	alternate: { pending: 'queued', processing: 'running', completed: 'succeeded', failed: 'error' },
};

/** Lets a node be tested against a provider that names the states differently. */
export function statusWord(status: CanonicalStatus, options: ResolvedOptions): string {
	return WORDS[options.statusWords][status];
}

export interface TaskView {
	id: string;
	createdAt: number;
	params: TaskParams;
	state: TaskState;
	baseUrl: string;
}

/**
 * A task as Vtrix's model page describes it: progress only before the end, error only when
 * failed, output and usage only when completed.
 */
export function taskBody(view: TaskView, options: ResolvedOptions): Json {
	const { state } = view;
	const body: Json = {
		id: view.id,
		status: statusWord(state.status, options),
		model: MODEL,
		created_at: Math.floor(view.createdAt / 1000),
		metadata: { ...view.params },
	};
	if (state.progress !== undefined) body.progress = state.progress;
	if (state.status === 'failed' && state.error) body.error = state.error;
	if (state.status === 'completed' && state.output) {
		const { path, size, jobId } = state.output;
		body.output = [{ content: [{ type: 'image', url: view.baseUrl + path, size, jobId }] }];
		body.usage = { cost: options.costUsd, quantity: 1, unit_price: options.costUsd, discount: 0 };
	}
	return body;
}

/** Body of a rejected create: the document's error object with a failed status. */
export function createErrorBody(error: TaskError, options: ResolvedOptions): Json {
	return { status: statusWord('failed', options), error };
}

/** Success bodies; the envelope variant renames id to task_id as some gateways do. */
export function shapeSuccess(body: Json, options: ResolvedOptions): Json {
	if (options.responseShape !== 'envelope') return body;
	const { id, ...rest } = body;
	const data = id === undefined ? rest : { task_id: id, ...rest };
	return { code: 0, message: 'ok', data };
}

/** Error bodies; in the envelope the error code and message move up, the original stays under data. */
export function shapeError(body: Json, options: ResolvedOptions): Json {
	if (options.responseShape !== 'envelope') return body;
	const error = readError(body);
	return { code: error?.code ?? 'error', message: error?.error_message ?? 'error', data: body };
}

function readError(body: Json): TaskError | undefined {
	const error = body.error;
	if (typeof error !== 'object' || error === null) return undefined;
	const { code, error_message } = error as Json;
	return typeof code === 'string' && typeof error_message === 'string' ? { code, error_message } : undefined;
}
