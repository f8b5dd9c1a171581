import { suite } from './suite';

suite([
	'hostileBodies',
	'hostileAnswers',
	'serverPauses',
	'wording',
]);
