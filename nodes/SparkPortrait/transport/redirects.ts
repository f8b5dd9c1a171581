/**
 * Redirects. n8n's helpers follow them themselves and, by default, take the Authorization header
 * along to any host; the clients therefore ask them not to follow and decide here. A request that
 * carries the API key: a status read may follow a redirect within the API's own origin, a create
 * is never sent again anywhere (a repeated POST can create a second paid task). Requests without
 * the key follow theirs hop by hop, each host checked (keylessClients.ts).
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { REDIRECT_STATUSES } from '../api/paths';
import { headerText } from './headers';
import type { RedirectRefusal, RequestKind } from '../errors/failures';

export const MAX_REDIRECTS = 5;

export function redirectTarget(response: IN8nHttpFullResponse, requestUrl: string): string | undefined {
	if (!REDIRECT_STATUSES.includes(response.statusCode)) return undefined;
	const location = headerText(response.headers.location);
	if (location === undefined || location === '') return undefined;
	return URL.canParse(location, requestUrl) ? new URL(location, requestUrl).href : undefined;
}

export function originOf(url: string): string {
	return URL.canParse(url) ? new URL(url).origin : url;
}

/** Why a redirect of a credentialed request must not be followed, or undefined to follow it. */
export function refuseRedirect(kind: RequestKind, apiOrigin: string, target: string, hops: number): RedirectRefusal | undefined {
	if (kind === 'create') return 'create';
	if (originOf(target) !== apiOrigin) return 'crossOrigin';
	if (hops >= MAX_REDIRECTS) return 'tooMany';
	return undefined;
}
