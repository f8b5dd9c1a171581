// n8n's own REST API as the editor uses it: log in once, then call /rest routes with the session cookie.
import { randomUUID } from 'node:crypto';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface N8nSession {
	post(path: string, body: unknown): Promise<{ status: number; json: unknown }>;
	/** What the editor's Test button sends: POST /rest/credentials/test with the form's data. */
	testCredential(credential: { id: string; name: string; type: string; data: Record<string, unknown> }): Promise<CredentialTestResult>;
}

/** Logs in as the given user (email and password); the session cookie and browser id go with every call. */
export async function loginSession(url: string, email: string, password: string): Promise<N8nSession> {
	const browserId = randomUUID();
	const call = async (path: string, body: unknown, cookie?: string) => {
		const response = await fetch(`${url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': browserId, ...(cookie ? { cookie } : {}) },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await response.text();
		let json: unknown;
		try {
			json = JSON.parse(text) as unknown;
		} catch {
			json = text;
		}
		return { status: response.status, json, setCookie: response.headers.getSetCookie() };
	};
	const login = await call('/rest/login', { emailOrLdapLoginId: email, password });
	const cookie = login.setCookie.map((entry) => entry.split(';')[0]).find((entry) => entry.startsWith('n8n-auth='));
	if (login.status !== 200 || !cookie) throw new Error(`login to ${url} failed (${login.status}): ${JSON.stringify(login.json)}`);
	const post = async (path: string, body: unknown) => {
		const { status, json } = await call(path, body, cookie);
		return { status, json };
	};
	return {
		post,
		testCredential: async (credentials) => {
			const { status, json } = await post('/rest/credentials/test', { credentials });
			const data = (json as { data?: CredentialTestResult }).data;
			if (status !== 200 || !data) throw new Error(`credential test call failed (${status}): ${JSON.stringify(json)}`);
			return data;
		},
	};
}
