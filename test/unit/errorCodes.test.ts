import { ERROR_CODES, describeErrorCode, isServerSideCode, normaliseErrorCode } from '../../nodes/SparkPortrait/errors/errorCodes';

describe('the error-code table', () => {
	it('holds every code of the API document', () => {
		expect(Object.keys(ERROR_CODES).sort()).toStrictEqual([
			'003010001',
			'003010002',
			'003010003',
			'003010095',
			'003010096',
			'003010097',
			'003010098',
			'003010099',
		]);
	});

	it('explains 003010003 with the formats the API takes', () => {
		expect(describeErrorCode('003010003')?.title).toBe('Invalid image format, only JPG/JPEG/PNG supported');
		expect(describeErrorCode('003010003')?.hint).toContain('JPG');
	});

	it('marks only 003010095-003010099 as server-side', () => {
		const serverSide = Object.keys(ERROR_CODES).filter((code) => isServerSideCode(code));
		expect(serverSide).toStrictEqual(['003010095', '003010096', '003010097', '003010098', '003010099']);
		expect(isServerSideCode(undefined)).toBe(false);
	});

	it('normalises codes', () => {
		expect(normaliseErrorCode(3010001)).toBe('003010001');
		expect(normaliseErrorCode(' 003010002 ')).toBe('003010002');
		expect(normaliseErrorCode('401')).toBe('401');
		expect(normaliseErrorCode('')).toBeUndefined();
	});
});
