// The simulator's public surface: tests, the benchmark and the demo import from here only.
export { startSimulator } from './server';
export { startRecorder, type ArrivedRequest, type RecorderHandle, type RecorderReply } from './recorder';
export { DEFAULT_OPTIONS } from './options';
export { ERROR_MESSAGES } from './errorCodes';
export { MALFORMED_JSON } from './applyFault';
export { GENERATED_NAMES } from './generatedFixtures';
export type {
	AcceptedFormats,
	CanonicalStatus,
	FaultKind,
	FaultRoute,
	FaultSpec,
	GenMode,
	RecordedRequest,
	ResolvedOptions,
	ResponseShape,
	Route,
	SimTask,
	SimulatorHandle,
	SimulatorOptions,
	StatusWords,
	TaskError,
	TaskOutcome,
	TaskOutput,
	TaskParams,
} from './types';
