/**
 * Issue 28 part 5: an answer is scrubbed before it is cut (a text error body with the key at offset
 * 480 showed its first 20 characters), and the key is found in the forms a server or the node's
 * own code turns it into: another case (the URL parser lowercases a host), base64, hex,
 * `\u`-escaped. Percent and form encodings are in the scrubber's unit test (a host name cannot hold
 * the characters they change).
 */
import { everyText, fixtureUrl, runSpark, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

/** Mixed case and valid as a host name, so a redirect can carry it in its host. */
const KEY = 'Sim-Secret-Key-Mixed-4F1d2A';
const simulator = useTestSimulator({ apiKey: KEY });

const create = () => ({ operation: 'create', imageUrl: fixtureUrl(simulator()), width: 512, height: 512, options: { maxRetries: 0 } });

/** Any run of 12 characters of the key, in any case: what a reader could piece it together from. */
function expectNoPartOfKey(text: string): void {
	const lower = text.toLowerCase();
	for (let start = 0; start + 12 <= KEY.length; start++) expect(lower).not.toContain(KEY.slice(start, start + 12).toLowerCase());
}

describe('the key in an error answer', () => {
	it('a text 400 with the key at offset 480 is scrubbed before the message is cut at 500 characters', async () => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, text: `${'x'.repeat(480)}${KEY} and more after it` });
		const result = await runSpark(simulator(), { parameters: create() });
		expect(result.error?.message).toContain('[redacted]');
		expectNoPartOfKey(everyText(result));
	});

	it.each([
		['lowercase', KEY.toLowerCase()],
		['uppercase', KEY.toUpperCase()],
		['base64 of a Basic pair', Buffer.from(`user:${KEY}`).toString('base64')],
		['hex', Buffer.from(KEY).toString('hex')],
		['\\u-escaped', [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
	])('%s, in a text body', async (_form, echoed) => {
		simulator().injectFault({ route: 'create', kind: 'http', statusCode: 400, text: `you sent ${echoed} here` });
		const result = await runSpark(simulator(), { parameters: create() });
		expect(result.error?.message).toContain('you sent');
		expect(everyText(result)).not.toContain(echoed);
		expectNoPartOfKey(everyText(result));
	});

	it('a redirect to a host named after the key: the host the error names is scrubbed, though the URL parser lowercased it', async () => {
		const created = await runSpark(simulator(), { parameters: create() });
		simulator().injectFault({ route: 'status', kind: 'redirect', statusCode: 302, location: `http://${KEY}.example.invalid/tasks` });
		const result = await runSpark(simulator(), { parameters: { operation: 'getStatus', taskId: String(created.items[0].json.taskId), options: { maxRetries: 0 } } });
		expect(result.error?.message).toContain('another host');
		expectNoPartOfKey(everyText(result));
	});
});
