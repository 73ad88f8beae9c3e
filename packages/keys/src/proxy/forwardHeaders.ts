import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ProviderSpec } from '../providers.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never forwarded. */
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-connection',
	'proxy-authenticate',
	'proxy-authorization',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
]);

/**
 * Headers that carry a credential: the caller's session or key token must
 * never reach the provider, and nor may any other credential it sent (Azure's
 * `api-key`, Google's `x-goog-api-key`, cookies).
 */
const CREDENTIALS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie']);

function connectionTokens(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Set<string> {
	const value = headers.connection;
	const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
	return new Set(
		text
			.split(',')
			.map((t) => t.trim().toLowerCase())
			.filter((t) => t !== ''),
	);
}

/**
 * The headers to send upstream: the caller's, minus hop-by-hop headers, Host
 * and every credential, plus the provider's real authentication. The
 * response is asked for without compression (`accept-encoding: identity`) so
 * the usage tap can read its tokens as they pass without inflating them —
 * provider responses are small text, and the hop is local or TLS anyway.
 */
export function upstreamRequestHeaders(
	incoming: IncomingHttpHeaders,
	spec: ProviderSpec,
	key: string | undefined,
): OutgoingHttpHeaders {
	const named = connectionTokens(incoming);
	const out: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(incoming)) {
		if (value === undefined) continue;
		if (HOP_BY_HOP.has(name) || named.has(name) || CREDENTIALS.has(name)) continue;
		if (name === 'host' || name === 'accept-encoding') continue;
		out[name] = value;
	}
	out['accept-encoding'] = 'identity';
	if (key !== undefined) {
		if (spec.wire === 'anthropic') out['x-api-key'] = key;
		else if (spec.wire === 'openai') out.authorization = `Bearer ${key}`;
	}
	return out;
}

/** The response headers to pass back: the provider's, minus hop-by-hop headers. */
export function clientResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
	const named = connectionTokens(incoming);
	const out: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(incoming)) {
		if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
		out[name] = value;
	}
	return out;
}

/** The credential a caller presented: `x-api-key` (Anthropic SDKs) or `Authorization: Bearer` (OpenAI SDKs). */
export function presentedCredential(headers: IncomingHttpHeaders): string | undefined {
	const apiKey = headers['x-api-key'];
	if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
	const auth = headers.authorization;
	if (typeof auth === 'string') {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
		if (match?.[1] !== undefined) return match[1];
	}
	return undefined;
}
