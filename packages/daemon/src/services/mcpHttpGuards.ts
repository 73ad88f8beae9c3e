import type { IncomingHttpHeaders } from 'node:http';

/** The Host values the endpoint answers to on `port` (browsers and clients send the port). */
export function mcpHttpHosts(port: number): readonly string[] {
	return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The origins a page of the endpoint's own address would send (the only ones accepted). */
export function mcpHttpOrigins(port: number): readonly string[] {
	return mcpHttpHosts(port).map((host) => `http://${host}`);
}

/** Why a request's headers were refused, before anything read its body. */
export interface HeaderRefusal {
	readonly kind: 'host' | 'foreign-origin';
	readonly reason: string;
}

// Headers quoted in a refusal's reason: what an attacker sent, cut short and made printable.
const quote = (value: string) => JSON.stringify(value.slice(0, 100));

/**
 * DNS rebinding: a page on any name that resolves to 127.0.0.1 reaches the
 * port, but sends its own name as Host and its own Origin. Host must be the
 * endpoint's address; Origin, when sent (browsers send it), must be too.
 */
export function checkHostAndOrigin(
	headers: IncomingHttpHeaders,
	port: number,
): HeaderRefusal | undefined {
	const host = headers.host?.toLowerCase();
	const hosts = mcpHttpHosts(port);
	if (host === undefined || !hosts.includes(host)) {
		return {
			kind: 'host',
			reason: `wrong Host header (${host === undefined ? 'none' : quote(host)}; expected ${hosts.join(' or ')})`,
		};
	}
	const origin = headers.origin;
	if (origin !== undefined && !mcpHttpOrigins(port).includes(origin.toLowerCase())) {
		return { kind: 'foreign-origin', reason: `foreign Origin ${quote(origin)}` };
	}
	return undefined;
}

/** The bearer token of an `Authorization: Bearer <token>` header, or undefined without one. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
	const header = headers.authorization;
	if (header === undefined) return undefined;
	const match = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i.exec(header);
	// Another scheme, or garbage: no token given (told apart from a wrong one).
	return match?.[1];
}
