import { suite } from './suite';

suite([
	'simulator',
	'installProgress',
	'checkLive',
	'harness',
]);
