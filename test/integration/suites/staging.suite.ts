import path from 'node:path';

import { suite } from '../../support/suite';

suite(path.join(__dirname, '..'), [
	'stagingTrickle',
	'stagingCleanup',
	'inputAddresses',
]);
