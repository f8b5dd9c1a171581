import { suite } from './suite';

suite([
	'createErrors',
	'providerErrors',
	'badInput',
]);
