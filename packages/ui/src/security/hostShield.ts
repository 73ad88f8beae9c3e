import type { IncomingMessage } from 'node:http';

/** What the app's Host guard sees in place of a Host that is not the UI's (see shieldHost). */
export const FOREIGN_HOST = 'foreign-host.invalid';

const sentHosts = new WeakMap<IncomingMessage, string | undefined>();

/**
 * The Host header the client sent, when it was replaced by {@link FOREIGN_HOST}
 * (`null` when it was the UI's own, so not replaced).
 */
export function sentHost(incoming: IncomingMessage | undefined): string | undefined | null {
	if (incoming === undefined || !sentHosts.has(incoming)) return null;
	return sentHosts.get(incoming);
}

/**
 * The Node adapter answers a Host it cannot build a URL from (`a:1@b`, or none
 * at all) with a bare 400 before the app runs: unaudited, without the security
 * headers. Any Host that is not one of the UI's names is refused by the app's
 * Host guard anyway, so it is replaced here by a name that parses and that the
 * guard refuses, and the one sent is kept for the refusal's reason.
 */
export function shieldHost(incoming: IncomingMessage, hosts: readonly string[]): void {
	const host = incoming.headers.host;
	if (host !== undefined && hosts.includes(host.toLowerCase())) return;
	sentHosts.set(incoming, host);
	incoming.headers.host = FOREIGN_HOST;
	const raw = incoming.rawHeaders;
	let found = false;
	for (let i = 0; i < raw.length; i += 2) {
		if (raw[i]?.toLowerCase() === 'host') {
			raw[i + 1] = FOREIGN_HOST;
			found = true;
		}
	}
	if (!found) raw.push('Host', FOREIGN_HOST);
}
