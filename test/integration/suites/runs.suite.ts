import { suite } from './suite';

suite([
	'resume',
	'parallel',
	'executions',
]);
