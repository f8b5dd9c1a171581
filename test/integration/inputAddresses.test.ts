/**
 * Issue 20 part 5: Check Image First follows redirects one hop at a time and checks each host
 * first. Link-local and cloud-metadata addresses are never fetched; loopback and private ones only
 * when the user's own Image URL was one; n8n's own SSRF protection is honoured where n8n has it;
 * and the errors say no more than the user needs.
 *
 * A public Image URL is a made-up name (`*.invalid`) that this process's DNS lookup answers with
 * 127.0.0.1: the node sees a public host, the request still stays on loopback.
 */
import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';

import { usePublicName } from '../support/publicName';
import { errorDescription, everyText, fixtureUrl, runSpark, settledTask, useTestSimulator } from '../support/sparkRun';

jest.setTimeout(60_000);

const simulator = useTestSimulator();

// A created task fetches the Image URL itself, later: it must not take the next test's fault.
afterEach(async () => {
	for (const create of simulator().requestsTo('create')) if (create.taskId) await settledTask(simulator(), create.taskId);
});

const PUBLIC_NAME = usePublicName('portraits.public-images.invalid');

const publicUrl = (path = '/fixtures/portrait.jpg') => `http://${PUBLIC_NAME}:${simulator().port}${path}`;

async function checkFirst(imageUrl: string) {
	return await runSpark(simulator(), { parameters: { operation: 'create', imageUrl, options: { checkImage: true, maxRetries: 0, requestTimeout: 3 } } });
}

function expectRefused(result: Awaited<ReturnType<typeof checkFirst>>, message: string) {
	expect(result.error?.message).toBe(message);
	expect(errorDescription(result)).toContain('Nothing was sent to the Vtrix API, so nothing was billed');
	expect(simulator().requestsTo('create')).toHaveLength(0);
}

describe('a public Image URL', () => {
	it('is fetched (the made-up name does reach the simulator)', async () => {
		const result = await checkFirst(publicUrl());
		expect(result.error).toBeUndefined();
		expect(simulator().requestsTo('create')).toHaveLength(1);
	});

	it.each([
		['127.0.0.1', 'a loopback address, reached from a public Image URL'],
		['localhost', 'a loopback address, reached from a public Image URL'],
		['10.0.0.7', 'a private-network address, reached from a public Image URL'],
	])('redirected to %s: the redirect is not followed', async (host, why) => {
		const port = simulator().port;
		simulator().injectFault({ route: 'fixture', kind: 'redirect', statusCode: 302, location: `http://${host}:${port}/fixtures/portrait.jpg` });
		const result = await checkFirst(publicUrl());
		expectRefused(result, `Check Image First did not fetch a redirect from the Image URL to ${host}:${port}: ${why}`);
		expect(simulator().requestsTo('fixture')).toHaveLength(1);
	});
});

describe('link-local and cloud metadata addresses', () => {
	it.each([
		['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'a cloud metadata address'],
		['http://[fe80::1]/portrait.jpg', '[fe80::1]', 'a link-local address'],
		['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal', 'a cloud metadata address'],
	])('are never fetched as the Image URL itself (%s)', async (url, host, why) => {
		const result = await checkFirst(url);
		expectRefused(result, `Check Image First did not fetch the Image URL's host (${host}): ${why}`);
	});

	it('are not followed from a loopback Image URL either', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'redirect', statusCode: 302, location: 'http://169.254.169.254/latest/meta-data/' });
		const result = await checkFirst(fixtureUrl(simulator()));
		expectRefused(result, 'Check Image First did not fetch a redirect from the Image URL to 169.254.169.254: a cloud metadata address');
	});
});

describe('a loopback Image URL (a local MinIO, the simulator)', () => {
	it('is fetched, and so is its redirect to another loopback URL', async () => {
		simulator().injectFault({ route: 'fixture', kind: 'redirect', statusCode: 302, location: `http://localhost:${simulator().port}/fixtures/portrait.jpg` });
		const result = await checkFirst(fixtureUrl(simulator()));
		expect(result.error).toBeUndefined();
		expect(simulator().requestsTo('fixture')).toHaveLength(2);
	});

	it('a closed port: the error does not tell a closed port from a broken connection', async () => {
		const result = await checkFirst('http://127.0.0.1:1/portrait.jpg');
		expect(result.error?.message).toBe('Could not fetch the Image URL (127.0.0.1:1)');
		expect(everyText(result)).not.toMatch(/ECONNREFUSED|connect /);
	});

	it('is refused when n8n\'s own SSRF protection is on (n8n 2.x), whose default blocks loopback', async () => {
		const config = Container.get(SsrfProtectionConfig);
		config.enabled = true;
		try {
			const result = await checkFirst(fixtureUrl(simulator()));
			expectRefused(result, `Check Image First did not fetch the Image URL's host (127.0.0.1:${simulator().port}): blocked by n8n's SSRF protection on this instance`);
			expect(simulator().requestsTo('fixture')).toHaveLength(0);
		} finally {
			config.enabled = false;
		}
	});
});
