import { suite } from './suite';

suite([
	'stagingTrickle',
	'stagingCleanup',
	'inputImage',
	'inputAddresses',
]);
