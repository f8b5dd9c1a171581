/**
 * Which hosts Check Image First may fetch. The Image URL is the user's (or, in tool mode, the
 * model's), so it can point anywhere n8n can reach: the node refuses link-local and cloud-metadata
 * addresses always, and loopback or private addresses unless the user's own URL was one (a local
 * MinIO, a test server), so a public URL cannot redirect the fetch into the private network.
 *
 * Only what the URL says is judged (IP literals, and names that are local by definition): the
 * package may not resolve names itself. n8n 2.x resolves and checks every connection when its own
 * SSRF protection is on (the transport asks it too).
 */
export type AddressClass = 'public' | 'private' | 'loopback' | 'linkLocal' | 'metadata';

export function isAlwaysRefused(kind: AddressClass): boolean {
	return kind === 'linkLocal' || kind === 'metadata';
}

/** Whether a fetch that began at a host of class `origin` may go to one of class `target`. */
export function mayFetch(origin: AddressClass, target: AddressClass): boolean {
	if (isAlwaysRefused(target)) return false;
	if (target === 'public') return true;
	return origin === 'private' || origin === 'loopback';
}

/** Names of cloud metadata services (GCP, Alibaba-style aliases). */
const METADATA_NAMES = ['metadata.google.internal', 'metadata.goog', 'metadata'];
/** Metadata services: AWS, GCP and Azure (link-local), Alibaba, Oracle, Azure's wire server; AWS over IPv6. */
const METADATA_IPV4 = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', '168.63.129.16'];
const METADATA_IPV6 = ['fd00:ec2::254'];
const PRIVATE_SUFFIXES = ['.local', '.internal', '.lan', '.home.arpa', '.intranet', '.corp'];

function parseIpv4(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const octets = parts.map(Number);
	return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function classifyIpv4([a, b, c, d]: number[]): AddressClass {
	if (METADATA_IPV4.includes(`${a}.${b}.${c}.${d}`)) return 'metadata';
	if (a === 169 && b === 254) return 'linkLocal';
	if (a === 127) return 'loopback';
	// "This network" (0.0.0.0 reaches the local host), private, carrier-grade NAT, IETF protocol
	// assignments, benchmarking, multicast and reserved: none is a public image host.
	if (a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	if ((a === 100 && b >= 64 && b <= 127) || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19)) || a >= 224) return 'private';
	return 'public';
}

/** Expands an IPv6 literal into eight 16-bit groups; the URL parser prints one in hex groups only (no dotted IPv4 part, no zone). */
function parseIpv6(text: string): number[] | undefined {
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groups = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groups(halves[0]);
	const tail = halves.length === 2 ? groups(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
	const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return all.map((group) => parseInt(group, 16));
}

function classifyIpv6(groups: number[]): AddressClass {
	if (METADATA_IPV6.some((address) => parseIpv6(address)?.every((group, index) => group === groups[index]))) return 'metadata';
	const embeddedV4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
	const zeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
	// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach an IPv4 host.
	if ((zeros(5) && groups[5] === 0xffff) || (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0))) {
		return classifyIpv4(embeddedV4);
	}
	if (zeros(7) && groups[7] === 1) return 'loopback';
	if (zeros(8)) return 'private';
	if (zeros(6)) return classifyIpv4(embeddedV4);
	if ((groups[0] & 0xffc0) === 0xfe80) return 'linkLocal';
	if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xffc0) === 0xfec0 || (groups[0] & 0xff00) === 0xff00) return 'private';
	return 'public';
}

/** The class of a URL's host (`new URL(...).hostname`: IPv4 already normalised, IPv6 in brackets). */
export function classifyHost(hostname: string): AddressClass {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host.startsWith('[') && host.endsWith(']')) {
		const groups = parseIpv6(host.slice(1, -1));
		return groups ? classifyIpv6(groups) : 'private';
	}
	const v4 = parseIpv4(host);
	if (v4) return classifyIpv4(v4);
	if (METADATA_NAMES.includes(host)) return 'metadata';
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	// A name without a dot (a container or host name) or with a local-only suffix lives inside a network.
	if (!host.includes('.') || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'private';
	return 'public';
}

/** Words for a refusal: what kind of address it was, never anything the host answered. */
export const CLASS_WORDS: Record<AddressClass, string> = {
	metadata: 'a cloud metadata address',
	linkLocal: 'a link-local address',
	loopback: 'a loopback address',
	private: 'a private-network address',
	public: 'a public address',
};
