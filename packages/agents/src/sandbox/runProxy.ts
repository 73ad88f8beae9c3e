import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One run's door into the supervisor's filtering proxy: a Unix socket of its
 * own (bind-mounted into that run's sandbox only, where the sandbox's socat
 * bridges connect to it) and a secret the proxy requires on every request
 * (HTTP `Proxy-Authorization`, SOCKS5 user/password). What comes in through
 * it is checked against that run's allowlist only.
 */
export interface RunProxy {
	readonly socketPath: string;
	readonly token: string;
	/** Closes the run's socket and every connection through it: its credentials stop working. */
	close(): void;
}

/** At most this many connections of one run are open through the proxy at once. */
export const RUN_PROXY_MAX_CONNECTIONS = 128;
/** A connection that sends nothing for this long before its first byte is closed. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;
/**
 * A connection with no byte either way for this long is closed — an idle
 * tunnel included. The door's HTTP server is never listening itself (it is
 * handed connections), so Node enforces none of its own timeouts on it.
 */
export const RUN_PROXY_IDLE_TIMEOUT_MS = 5 * 60_000;
/**
 * An HTTP request's head (request line and headers) must be whole within
 * this long of its first byte — of the previous response's end for the next
 * request on a kept-alive connection — or the connection is closed.
 */
export const RUN_PROXY_HEADERS_TIMEOUT_MS = 30_000;

type Library = typeof import('./runProxyLibrary.js');

let library: Promise<Library> | undefined;

// The library's proxy code, loaded on the first network-approved run only:
// a supervisor that never runs one never loads it.
const loadLibrary = (): Promise<Library> => {
	library ??= import('./runProxyLibrary.js');
	return library;
};

/** The library guard's resolver (`dns.lookup` with `all: true`). */
export type RunProxyResolver = NonNullable<
	Parameters<Library['createResolvedAddressGuard']>[0]
>['resolve'] &
	object;

/** What {@link openRunProxy} may be given besides the allowlist. */
export interface RunProxyOptions {
	/** How names are resolved (default `dns.lookup`); a test seam. */
	readonly resolve?: RunProxyResolver;
	/** Default {@link RUN_PROXY_IDLE_TIMEOUT_MS}; a test seam. */
	readonly idleTimeoutMs?: number;
	/** Default {@link RUN_PROXY_HEADERS_TIMEOUT_MS}; a test seam. */
	readonly headersTimeoutMs?: number;
}

/**
 * At most this many name lookups are in flight at once in this process,
 * whatever the number of runs. They run on libuv's thread pool (four
 * threads), which the supervisor's own file work shares: runs resolving
 * slow names at once would otherwise hold all of it.
 */
export const RUN_PROXY_MAX_LOOKUPS = 2;

const lookupAll: RunProxyResolver = (hostname, options, callback) =>
	dnsLookup(hostname, { ...options, all: true }, callback);

/**
 * A limit on name lookups in flight shared by many resolvers (one per run):
 * at most `max` of their calls at once; the others wait, served in turn
 * across the resolvers (each resolver's own in order), so one run with many
 * waiting cannot keep another's first lookup waiting behind all of them.
 */
export function sharedLookups(max: number): {
	/** `resolve`, its calls counted against the shared limit. */
	limit(resolve: RunProxyResolver): RunProxyResolver;
	/** How many calls wait for their turn now. */
	waiting(): number;
} {
	let active = 0;
	// Each resolver's waiting calls; the one served next is the first in the rotation.
	const rotation: (() => void)[][] = [];
	const next = () => {
		while (active < max && rotation.length > 0) {
			const queue = rotation.shift() as (() => void)[];
			const start = queue.shift() as () => void;
			if (queue.length > 0) rotation.push(queue);
			active++;
			start();
		}
	};
	return {
		limit(resolve) {
			const queue: (() => void)[] = [];
			return (hostname, options, callback) => {
				queue.push(() =>
					resolve(hostname, options, (error, addresses) => {
						active--;
						next();
						callback(error, addresses);
					}),
				);
				if (queue.length === 1) rotation.push(queue);
				next();
			};
		},
		waiting: () => rotation.reduce((sum, queue) => sum + queue.length, 0),
	};
}

/** This process's limit, shared by every run's proxy. */
const processLookups = sharedLookups(RUN_PROXY_MAX_LOOKUPS);

/** How many name lookups of this process's run proxies wait for their turn now. */
export const runProxyLookupsWaiting = (): number => processLookups.waiting();

/**
 * Whether `host:port` is on `allowedHosts` — the library's own decision
 * (filterNetworkRequest with `strictAllowlist` and no deny list): malformed
 * hosts refused, the host canonicalised as it will be dialled, then matched
 * against each `host`, `host:port`, `*.domain[:port]` or `[v6]:port` entry.
 */
export function allowlistDecision(
	lib: Pick<Library, 'matchesDomainPatternWithPort' | 'isValidHost' | 'canonicalizeHost'>,
	allowedHosts: readonly string[],
	host: string,
	port: number,
): boolean {
	if (!lib.isValidHost(host)) return false;
	const canonical = lib.canonicalizeHost(host) ?? host;
	return allowedHosts.some((entry) => lib.matchesDomainPatternWithPort(canonical, port, entry));
}

/**
 * Opens the proxy door of one network-approved run in this (the supervisor's)
 * process: the library's HTTP (CONNECT and plain) and SOCKS5 proxies, made
 * for this run alone — its allowlist, its secret, the library's guard
 * against approved names resolving to private addresses — behind a Unix
 * socket in a fresh 0700 directory. Every run of a supervisor shares its
 * process instead of a Node sandbox host each; nothing of one run's proxy
 * can answer another's requests. Connections are bounded per run
 * ({@link RUN_PROXY_MAX_CONNECTIONS}), and name lookups in flight are
 * bounded for the whole process ({@link RUN_PROXY_MAX_LOOKUPS}, shared in
 * turn by the runs); one that says nothing is dropped after 10 s, an HTTP
 * request whose head is not whole 30 s after its first byte, and any
 * connection, tunnels included, idle for 5 min. Close it when the run has
 * ended.
 */
export async function openRunProxy(
	allowedHosts: readonly string[],
	options: RunProxyOptions = {},
): Promise<RunProxy> {
	const lib = await loadLibrary();
	const token = randomBytes(24).toString('hex');
	const hosts = [...allowedHosts];
	const guard = lib.createResolvedAddressGuard({
		allowedDomains: hosts,
		deniedDomains: [],
		resolve: processLookups.limit(options.resolve ?? lookupAll),
	});
	const filter = async (port: number, host: string) => allowlistDecision(lib, hosts, host, port);
	const lookupFor = (port: number) => guard.lookupFor(port);
	const http = lib.createHttpProxyServer({
		filter: (port, host) => filter(port, host),
		lookupFor,
		proxyAuthToken: token,
	});
	const socks = lib.createSocksProxyServer({
		filter: (port, host) => filter(port, host),
		lookupFor,
		proxyAuthToken: token,
	});
	// socat reads the path inside an address (`UNIX-CONNECT:<path>`) and a
	// Unix socket's path holds at most 107 bytes: a TMPDIR that does not fit
	// is not used.
	const base = /^[A-Za-z0-9_./-]{1,64}$/.test(tmpdir()) ? tmpdir() : '/tmp';
	const idleTimeoutMs = options.idleTimeoutMs ?? RUN_PROXY_IDLE_TIMEOUT_MS;
	const headersTimeoutMs = options.headersTimeoutMs ?? RUN_PROXY_HEADERS_TIMEOUT_MS;
	// Each HTTP connection's deadline for its next whole request head.
	const headDeadlines = new Map<Socket, NodeJS.Timeout>();
	const headDone = (socket: Socket) => {
		clearTimeout(headDeadlines.get(socket));
		headDeadlines.delete(socket);
	};
	const awaitHead = (socket: Socket) => {
		headDone(socket);
		if (socket.destroyed) return;
		const timer = setTimeout(() => socket.destroy(), headersTimeoutMs);
		timer.unref();
		headDeadlines.set(socket, timer);
	};
	// Node's own per-socket timeout, which it sets again after a kept-alive
	// response (it would otherwise clear ours to 0 on the next request).
	http.timeout = idleTimeoutMs;
	http.on('connect', (_req, socket) => headDone(socket as Socket));
	http.on('request', (req, res) => {
		headDone(req.socket);
		res.once('finish', () => awaitHead(req.socket));
	});
	const dir = mkdtempSync(join(base, 'agentspace-proxy-'));
	const socketPath = join(dir, 'p.sock');
	const open = new Set<Socket>();
	const server: Server = createServer((client) => {
		open.add(client);
		client.once('close', () => {
			open.delete(client);
			headDone(client);
		});
		client.on('error', () => client.destroy());
		client.setTimeout(idleTimeoutMs, () => client.destroy());
		const timer = setTimeout(() => client.destroy(), FIRST_BYTE_TIMEOUT_MS);
		timer.unref();
		// One byte tells the protocols apart, as the library's own front end does.
		client.once('readable', () => {
			clearTimeout(timer);
			const peek = client.read(1) as Buffer | null;
			if (peek === null || peek.length === 0) {
				client.destroy();
				return;
			}
			client.unshift(peek);
			if (peek[0] === 0x04 || peek[0] === 0x05) socks.handleConnection(client);
			else {
				awaitHead(client);
				http.emit('connection', client);
			}
		});
	});
	server.maxConnections = RUN_PROXY_MAX_CONNECTIONS;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath, () => {
			server.off('error', reject);
			resolve();
		});
	});
	// The proxy must never keep a supervisor alive on its own, nor end it: an
	// error of the listening socket closes this run's door, nothing more.
	server.unref();
	server.on('error', () => server.close());
	let closed = false;
	return {
		socketPath,
		token,
		close() {
			if (closed) return;
			closed = true;
			server.close();
			for (const client of open) client.destroy();
			void socks.close();
			http.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
