/**
 * Redirects of requests that carry the API key. n8n's helpers follow redirects themselves and, by
 * default, take the Authorization header along to any host; the client therefore asks them not to
 * follow and decides here: a status read may follow a redirect within the API's own origin, a
 * create is never sent again anywhere (a repeated POST can create a second paid task).
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import type { RedirectRefusal, RequestKind } from '../errors/failures';

export const MAX_SAME_ORIGIN_REDIRECTS = 5;

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** The absolute target of a redirect response, or undefined when the response is not one. */
export function redirectTarget(response: IN8nHttpFullResponse, requestUrl: string): string | undefined {
	if (!REDIRECT_STATUSES.includes(response.statusCode)) return undefined;
	const header = response.headers.location;
	const location = Array.isArray(header) ? header[0] : header;
	if (typeof location !== 'string' || location.trim() === '') return undefined;
	return URL.canParse(location, requestUrl) ? new URL(location, requestUrl).href : undefined;
}

export function originOf(url: string): string {
	return URL.canParse(url) ? new URL(url).origin : url;
}

/** Why a redirect of a credentialed request must not be followed, or undefined to follow it. */
export function refuseRedirect(kind: RequestKind, apiOrigin: string, target: string, hops: number): RedirectRefusal | undefined {
	if (kind === 'create') return 'create';
	if (originOf(target) !== apiOrigin) return 'crossOrigin';
	if (hops >= MAX_SAME_ORIGIN_REDIRECTS) return 'tooMany';
	return undefined;
}
