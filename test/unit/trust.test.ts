import { Readable } from 'node:stream';

import { findApiError, parseTask } from '../../nodes/SparkPortrait/api/parse';
import { resolveEndpoints } from '../../nodes/SparkPortrait/api/endpoints';
import { fileNamePart } from '../../nodes/SparkPortrait/run/output';
import { readCapped } from '../../nodes/SparkPortrait/transport/cappedBody';
import { REDACTED, SecretScrubber } from '../../nodes/SparkPortrait/transport/redact';
import { redirectTarget, refuseRedirect } from '../../nodes/SparkPortrait/transport/redirects';
import { ApiRejectedError, CancelledError } from '../../nodes/SparkPortrait/errors/failures';

const response = (statusCode: number, location?: string) => ({ statusCode, headers: location ? { location } : {}, body: undefined });

describe('redirects of requests that carry the key', () => {
	it('resolves relative and absolute Locations, and ignores non-redirects', () => {
		expect(redirectTarget(response(302, '?moved=1'), 'http://127.0.0.1:1/v1/tasks/a')).toBe('http://127.0.0.1:1/v1/tasks/a?moved=1');
		expect(redirectTarget(response(307, 'http://localhost:1/x'), 'http://127.0.0.1:1/v1')).toBe('http://localhost:1/x');
		expect(redirectTarget(response(200, '/x'), 'http://127.0.0.1:1/v1')).toBeUndefined();
		expect(redirectTarget(response(304, '/x'), 'http://127.0.0.1:1/v1')).toBeUndefined();
		expect(redirectTarget(response(302), 'http://127.0.0.1:1/v1')).toBeUndefined();
	});

	it.each<[string, 'create' | 'status', string, number, string | undefined]>([
		['a create, even to its own origin', 'create', 'http://api.test/v1/tasks', 0, 'create'],
		['a status read to another host name', 'status', 'http://localhost/v1', 0, 'crossOrigin'],
		['a status read to another port', 'status', 'http://api.test:8080/v1', 0, 'crossOrigin'],
		['a status read to https on the same host', 'status', 'https://api.test/v1', 0, 'crossOrigin'],
		['a status read within the origin', 'status', 'http://api.test/v2/tasks/a', 0, undefined],
		['the sixth hop within the origin', 'status', 'http://api.test/v2/tasks/a', 5, 'tooMany'],
	])('%s', (_name, kind, target, hops, refusal) => {
		expect(refuseRedirect(kind, 'http://api.test', target, hops)).toBe(refusal);
	});
});

describe('readCapped', () => {
	const chunks = (count: number, size: number) => Readable.from(Array.from({ length: count }, () => Buffer.alloc(size, 1)));

	it('reads a body within the limit whole', async () => {
		const body = await readCapped(chunks(3, 10), undefined, 30);
		expect(body).toMatchObject({ complete: true });
		expect(body.data).toHaveLength(30);
	});

	it('stops past the limit, keeps nothing of what it read, and closes the stream', async () => {
		const stream = chunks(1000, 10);
		const body = await readCapped(stream, undefined, 25);
		expect(body.complete).toBe(false);
		expect(body.data).toHaveLength(0);
		expect(stream.destroyed).toBe(true);
	});

	it('reads a body that outgrows its Content-Length (it was compressed on the wire) within the limit', async () => {
		const body = await readCapped(chunks(3, 10), '12', 30);
		expect(body).toMatchObject({ complete: true, declaredBytes: 12 });
		expect(body.data).toHaveLength(30);
	});

	it('destroys the stream and throws CancelledError when its signal aborts mid-read', async () => {
		const stream = new Readable({ read() {} });
		stream.push(Buffer.alloc(5));
		const controller = new AbortController();
		const read = readCapped(stream, undefined, 100, controller.signal);
		// Once the first chunk was read (the stream stays open, waiting for more), abort.
		await new Promise((resolve) => setImmediate(resolve));
		controller.abort();
		await expect(read).rejects.toBeInstanceOf(CancelledError);
		expect(stream.destroyed).toBe(true);
	});

	it('refuses from Content-Length without reading', async () => {
		const stream = chunks(1000, 10);
		const body = await readCapped(stream, '10000', 25);
		expect(body).toMatchObject({ complete: false, declaredBytes: 10000 });
		expect(body.data).toHaveLength(0);
		expect(stream.destroyed).toBe(true);
	});
});

describe('create errors in every body shape', () => {
	it.each<[string, unknown]>([
		['error object', { error: { code: '003010002', error_message: 'bad' } }],
		['data.error', { data: { error: { code: '003010002', error_message: 'bad' } } }],
		['top-level message', { code: '003010002', message: 'bad' }],
		['top-level msg, numeric code', { code: 3010002, msg: 'bad' }],
	])('%s', (_name, body) => {
		expect(findApiError(body)).toEqual({ code: '003010002', message: 'bad' });
	});

	it('code 0 is no error', () => {
		expect(findApiError({ code: 0, message: 'ok', data: { id: 't' } })).toBeUndefined();
	});

	it('a body with a code and no id is a refusal, not "no task id"', () => {
		expect(() => parseTask({ status: 'failed', error: { code: '003010099', error_message: 'x' } })).toThrow(ApiRejectedError);
	});

	it('an envelope code does not fail a task whose status says otherwise', () => {
		expect(parseTask({ code: 200, message: 'ok', data: { id: 't', status: 'processing' } })).toMatchObject({ status: 'processing', error: undefined });
	});
});

describe('task ids', () => {
	it('the status URL refuses a dot-only id, even one the server sent', () => {
		const endpoints = resolveEndpoints({ apiKey: 'k', baseUrl: 'https://api.test' });
		expect(() => endpoints.taskStatusUrl('..')).toThrow('Task ID must not be only dots');
		expect(endpoints.taskStatusUrl('a/b')).toBe('https://api.test/model/v1/generation/task/a%2Fb');
	});

	it.each([
		['abc-123_x.y', 'abc-123_x.y'],
		['../../etc/passwd', '.._.._etc_passwd'],
		['a\\b:c*d?e"f<g>h|i', 'a_b_c_d_e_f_g_h_i'],
		['ünï cødé', '_n__c_d_'],
	])('binary file names use only [A-Za-z0-9._-] of %j', (id, part) => {
		expect(fileNamePart(id)).toBe(part);
	});
});

describe('SecretScrubber: the forms a key comes back in', () => {
	const key = 'Ab/cd+ef gh=ij~Secret';
	const scrubber = new SecretScrubber([key]);
	const once = encodeURIComponent(key);
	it.each([
		['as sent', key],
		['another case', key.toUpperCase()],
		['percent-encoded', once],
		['percent-encoded with lowercase hex (%2f)', once.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
		['percent-encoded twice', encodeURIComponent(once)],
		['form-encoded (+ for a space)', new URLSearchParams({ k: key }).toString().slice(2)],
		['hex', Buffer.from(key).toString('hex').toUpperCase()],
		['\\u-escaped', [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
	])('%s', (_form, echoed) => {
		expect(scrubber.text(`before ${echoed} after`)).toBe(`before ${REDACTED} after`);
	});

	it.each([0, 1, 2])('base64 and base64url inside a longer encoding (%i bytes before the key)', (offset) => {
		const encoded = Buffer.from(`${'x'.repeat(offset)}${key}!`).toString('base64');
		const scrubbed = scrubber.text(encoded);
		expect(scrubbed).toContain(REDACTED);
		// What is left of the encoding no longer decodes to the key, or to most of it.
		expect(Buffer.from(scrubbed.replace(REDACTED, ''), 'base64').toString('latin1')).not.toContain(key.slice(0, 6));
		expect(scrubber.text(Buffer.from(`${'x'.repeat(offset)}${key}!`).toString('base64url'))).toContain(REDACTED);
	});
});
