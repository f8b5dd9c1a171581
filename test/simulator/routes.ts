import type { ResolvedOptions } from './types';

export type Match =
	| { route: 'create' }
	| { route: 'status'; taskId: string }
	| { route: 'download'; taskId: string; jobId: string }
	| { route: 'fixture'; name: string }
	| { route: 'control'; action: string }
	| { route: 'unknown'; methodNotAllowed: boolean };

const DOWNLOAD = /^\/cdn\/([^/]+)\/([^/]+)\.jpg$/;
const FIXTURE = /^\/fixtures\/(.+)$/;
const CONTROL = /^\/__sim\/(.+)$/;

/** Paths come from the options on every call, so configure() can move them at run time. */
export function matchRoute(method: string, target: string, options: ResolvedOptions): Match {
	const url = new URL(target, 'http://simulator.invalid');
	const pathname = url.pathname;
	const readable = method === 'GET' || method === 'HEAD';

	const control = CONTROL.exec(pathname);
	if (control) return { route: 'control', action: control[1] };

	if (pathname === options.createPath && method === 'POST') return { route: 'create' };
	const taskId = matchStatus(options.statusPath, pathname, pathname + url.search);
	if (taskId !== undefined) return method === 'GET' ? { route: 'status', taskId } : notAllowed();
	if (pathname === options.createPath) return notAllowed();

	const download = DOWNLOAD.exec(pathname);
	if (download) return readable ? { route: 'download', taskId: decode(download[1]), jobId: decode(download[2]) } : notAllowed();
	const fixture = FIXTURE.exec(pathname);
	if (fixture) return readable ? { route: 'fixture', name: decode(fixture[1]) } : notAllowed();
	return { route: 'unknown', methodNotAllowed: false };
}

function notAllowed(): Match {
	return { route: 'unknown', methodNotAllowed: true };
}

/** '{taskId}' stands for one path segment; a template with a query part is matched against path + query. */
function matchStatus(template: string, pathname: string, pathAndQuery: string): string | undefined {
	const [before, after] = template.split('{taskId}');
	const pattern = new RegExp(`^${escape(before)}([^/?&]+)${escape(after)}$`);
	const found = pattern.exec(template.includes('?') ? pathAndQuery : pathname);
	return found ? decode(found[1]) : undefined;
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
