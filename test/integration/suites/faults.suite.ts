import { suite } from './suite';

suite([
	'faults',
	'redirects',
	'resultAddresses',
]);
