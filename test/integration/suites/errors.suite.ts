import path from 'node:path';

import { suite } from '../../support/suite';

suite(path.join(__dirname, '..'), [
	'createErrors',
	'providerErrors',
	'badInput',
	'wording',
	'credentialTest',
	'credentialForm',
	'stagingCredential',
	'stagingCredentialScope',
]);
