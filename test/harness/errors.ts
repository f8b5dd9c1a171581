import {
	ExecutionCancelledError,
	ExpressionError,
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	NodeSslError,
	TimeoutExecutionCancelledError,
	WorkflowOperationError,
} from 'n8n-workflow';

// The classes a node run can end with; matched by the `name` n8n keeps.
const ERROR_CLASSES: Array<{ name: string; prototype: Error }> = [
	NodeApiError,
	NodeOperationError,
	NodeSslError,
	ExpressionError,
	WorkflowOperationError,
	ManualExecutionCancelledError,
	TimeoutExecutionCancelledError,
	ExecutionCancelledError,
];

/**
 * WorkflowExecute records errors as spread copies ({...error, message, stack}),
 * which drops the prototype. Put the prototype back so tests can use
 * toBeInstanceOf(NodeApiError) and still see every field n8n recorded
 * (message, description, httpCode, context, node ...). No constructor runs.
 */
export function toError(value: unknown): Error {
	if (value instanceof Error) return value;
	if (typeof value !== 'object' || value === null) return new Error(String(value));
	const fields = value as Record<string, unknown>;
	const match = ERROR_CLASSES.find((errorClass) => errorClass.name === fields.name);
	const error: Error = Object.create(match?.prototype ?? Error.prototype);
	Object.assign(error, fields);
	if (typeof fields.message !== 'string') error.message = 'Unknown error';
	return error;
}
