import { suite } from './suite';

suite([
	'sparkPortrait',
	'taskIdLog',
	'secrets',
	'secretForms',
]);
