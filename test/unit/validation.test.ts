import { DEFAULT_PROMPT, MODEL_ID } from '../../nodes/SparkPortrait/api/constants';
import { buildCreateTaskBody, validateImageUrl, validateTaskId, type PortraitInput } from '../../nodes/SparkPortrait/api/validation';
import { documentedCreateBody } from '../support/documentedBody';
import { InputError } from '../../nodes/SparkPortrait/errors/failures';

/** What the node reads when every field keeps its UI default. */
const defaults: PortraitInput = {
	model: MODEL_ID,
	imageUrl: 'https://cdn.example.com/face.jpg',
	prompt: DEFAULT_PROMPT,
	width: 1328,
	height: 1328,
	gpen: 0.4,
	skin: 0.3,
	skinUnifi: 0,
	genMode: 'auto',
	seed: -1,
};

function errorOf(input: Partial<PortraitInput>): InputError {
	try {
		buildCreateTaskBody({ ...defaults, ...input });
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('buildCreateTaskBody', () => {
	it('sends the exact JSON the API expects for the defaults, with no gen_mode on Auto', () => {
		expect(buildCreateTaskBody(defaults)).toStrictEqual(documentedCreateBody('https://cdn.example.com/face.jpg'));
	});

	it('maps edge values and an explicit reference mode', () => {
		expect(
			buildCreateTaskBody({
				...defaults,
				width: 512,
				height: 2048,
				gpen: 1,
				skin: 0,
				skinUnifi: '0.9',
				genMode: 'reference_char',
				seed: 4294967295,
				prompt: 'studio headshot',
			}),
		).toStrictEqual({
			model: 'spark_edit_portrait',
			image_input: 'https://cdn.example.com/face.jpg',
			prompt: 'studio headshot',
			width: 512,
			height: 2048,
			gpen: 1,
			skin: 0,
			skin_unifi: 0.9,
			gen_mode: 'reference_char',
			seed: '4294967295',
		});
	});

	it('takes a prompt of up to 2000 characters, counting a character pair (an emoji) as one', () => {
		expect(buildCreateTaskBody({ ...defaults, prompt: 'x'.repeat(2000) }).prompt).toHaveLength(2000);
		expect(buildCreateTaskBody({ ...defaults, prompt: '\u{1F600}'.repeat(2000) }).prompt).toHaveLength(4000);
		expect(() => buildCreateTaskBody({ ...defaults, prompt: 'x'.repeat(2001) })).toThrow('Prompt (prompt) must be at most 2000 characters; got 2001');
		expect(() => buildCreateTaskBody({ ...defaults, prompt: '\u{1F600}'.repeat(2001) })).toThrow('got 2001');
	});

	it('omits an empty prompt so the API switches to reference mode itself', () => {
		const body = buildCreateTaskBody({ ...defaults, prompt: '   ' });
		expect(body).not.toHaveProperty('prompt');
		expect(body).not.toHaveProperty('gen_mode');
	});

	it('accepts numbers that arrive as strings from expressions', () => {
		const body = buildCreateTaskBody({ ...defaults, width: '1024', gpen: '0.7', seed: '42' });
		expect(body).toMatchObject({ width: 1024, gpen: 0.7, seed: '42' });
	});

	// The "Options" of gpen, skin and skin_unifi in the API document, written out.
	const documentedStrengths = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

	it.each(documentedStrengths.map((value) => [value]))('accepts strength option %s for every strength field', (value) => {
		expect(buildCreateTaskBody({ ...defaults, gpen: value, skin: value, skinUnifi: value })).toMatchObject({
			gpen: value,
			skin: value,
			skin_unifi: value,
		});
	});

	it.each([['0.5', 0.5], ['1', 1], [' 0.0 ', 0]])('reads strength %j from an expression as the documented number', (text, value) => {
		expect(buildCreateTaskBody({ ...defaults, gpen: text, skin: text, skinUnifi: text })).toMatchObject({ gpen: value, skin: value, skin_unifi: value });
	});

	it.each([[0.05], [0.15], [0.95], [1.1], [-0.1]])('refuses %s, which is not a documented strength option, for every strength field', (value) => {
		expect(errorOf({ gpen: value }).field).toBe('HD Effect (gpen)');
		expect(errorOf({ skin: value }).field).toBe('Skin Beautification (skin)');
		expect(errorOf({ skinUnifi: value }).field).toBe('Skin Uniformity (skin_unifi)');
	});

	it('lists the documented options in the refusal', () => {
		expect(errorOf({ gpen: 0.45 }).message).toContain('must be one of 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1; got 0.45');
	});

	it.each([
		['width', { width: 511 }, 'Width (width)', '512 to 2048'],
		['width', { width: 2049 }, 'Width (width)', '512 to 2048'],
		['width', { width: 1000.5 }, 'Width (width)', 'whole number'],
		['width', { width: 'wide' }, 'Width (width)', 'got "wide"'],
		['height', { height: 4000 }, 'Height (height)', '512 to 2048'],
		['height', { height: undefined }, 'Height (height)', 'got nothing'],
		['gpen', { gpen: 0.45 }, 'HD Effect (gpen)', '0, 0.1, 0.2'],
		['gpen', { gpen: 2 }, 'HD Effect (gpen)', 'one of'],
		['skin', { skin: -0.1 }, 'Skin Beautification (skin)', 'one of'],
		['skin_unifi', { skinUnifi: 'high' }, 'Skin Uniformity (skin_unifi)', 'one of'],
		['gen_mode', { genMode: 'portrait' }, 'Reference Mode (gen_mode)', 'auto, creative, reference, reference_char'],
		['seed', { seed: 1.5 }, 'Seed (seed)', '-1 (random)'],
		['seed', { seed: -2 }, 'Seed (seed)', '-1 (random)'],
		['seed', { seed: 'abc' }, 'Seed (seed)', '-1 (random)'],
		['model', { model: 'other_model' }, 'Model (model)', 'spark_edit_portrait'],
		['prompt', { prompt: 42 }, 'Prompt (prompt)', 'text'],
	])('refuses a bad %s, naming the field and the allowed values', (_name, input, field, allowed) => {
		const error = errorOf(input as Partial<PortraitInput>);
		expect(error.field).toBe(field);
		expect(error.message).toContain(field);
		expect(error.message).toContain(allowed);
	});
});

describe('validateImageUrl', () => {
	it.each([
		['', 'is required'],
		['   ', 'is required'],
		['file:///etc/passwd', 'got a file: URL'],
		['ftp://example.com/a.jpg', 'got a ftp: URL'],
		['javascript:alert(1)', 'got a javascript: URL'],
		['/images/a.jpg', 'absolute http:// or https:// URL'],
		['example.com/a.jpg', 'absolute http:// or https:// URL'],
		['https://example.com/my face.jpg', 'must not contain spaces'],
	])('refuses %j', (url, message) => {
		expect(() => validateImageUrl(url)).toThrow(message);
	});

	it('accepts http and https and trims', () => {
		expect(validateImageUrl('  http://127.0.0.1:8787/fixtures/portrait.jpg ')).toBe('http://127.0.0.1:8787/fixtures/portrait.jpg');
		expect(validateImageUrl('https://example.com/a.png?x=1')).toBe('https://example.com/a.png?x=1');
	});
});

describe('validateTaskId', () => {
	it('trims and accepts numbers', () => {
		expect(validateTaskId(' task_1 ')).toBe('task_1');
		expect(validateTaskId(123)).toBe('123');
	});
	it('accepts dots inside an id', () => {
		expect(validateTaskId('v1.2..3')).toBe('v1.2..3');
	});
	it.each([[''], [undefined], ['a/b'], ['a b'], ['.'], ['..'], [' ... ']])('refuses %j', (value) => {
		expect(() => validateTaskId(value)).toThrow(InputError);
	});
});
