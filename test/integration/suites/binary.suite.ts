import { suite } from './suite';

suite([
	'binaryInput',
	'stagingCredential',
	'stagingCredentialScope',
	'credentialTest',
	'credentialForm',
]);
