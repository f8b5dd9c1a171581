/**
 * A made-up public host name (`*.invalid`) that this process's DNS lookup answers with 127.0.0.1,
 * for a test file: the node sees a public host, the requests stay on loopback. net resolves
 * through dns.lookup at connect time; only this name is answered here.
 */
import dns from 'node:dns';

export function usePublicName(name: string): string {
	const realLookup = dns.lookup;
	beforeAll(() => {
		(dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback?: unknown) => {
			const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
			if (hostname !== name) return (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
			const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
			process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
		};
	});
	afterAll(() => {
		(dns as { lookup: unknown }).lookup = realLookup;
	});
	return name;
}
