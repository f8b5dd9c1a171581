import { suite } from './suite';

suite([
	'sharedPacing',
]);
