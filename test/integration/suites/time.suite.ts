import { suite } from './suite';

suite([
	'deadline',
	'executionSignal',
	'batchPolling',
]);
