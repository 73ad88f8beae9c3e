import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The first port the kernel hands out to outgoing connections (Linux's default when unreadable). */
function firstEphemeralPort(): number {
	try {
		const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
			.trim()
			.split(/\s+/);
		const port = Number(low);
		return Number.isInteger(port) && port > 11_000 ? port : 32_768;
	} catch {
		return 32_768;
	}
}

function canListen(port: number): Promise<boolean> {
	const server = createServer();
	return new Promise((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * The first of `span` consecutive TCP ports on 127.0.0.1 that nothing listens
 * on right now, for tests that must name their port before they listen (the
 * admin UI takes one). Chosen at random BELOW the kernel's ephemeral range:
 * a port there is never given to an outgoing connection, so it stays free
 * until the test listens (a port-0 pick, inside that range, was taken by one
 * of the many loopback connections of tests running beside it).
 */
export async function freePort(span = 1): Promise<number> {
	const low = 10_000;
	const high = firstEphemeralPort() - span;
	for (let attempt = 0; attempt < 200; attempt += 1) {
		const base = low + Math.floor(Math.random() * (high - low));
		let free = true;
		for (let port = base; free && port < base + span; port += 1) free = await canListen(port);
		if (free) return base;
	}
	throw new Error(`no ${span} free consecutive ports on 127.0.0.1 between ${low} and ${high}`);
}
