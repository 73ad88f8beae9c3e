/**
 * The request target of an endpoint request and the provider URL it goes
 * to. Agents are untrusted: nothing in a request may move the real key to
 * another host, scheme or user, nor from one provider's prefix to another's,
 * so targets are taken as sent (never normalised) and refused when they
 * could mean something else to another parser.
 */

/** A request target the endpoint accepts: its path (as sent) and query (with its `?`, or ''). */
export type RequestTarget =
	| { readonly ok: true; readonly path: string; readonly search: string }
	| { readonly ok: false; readonly reason: string };

const ENCODED_SEPARATOR = /%(2f|5c)/i;

/**
 * Accepts only an origin-form target (`/path?query`, RFC 9112 §3.2.1):
 * refuses absolute-form (`http://host/…`), `//host/…`, backslashes, encoded
 * slashes or backslashes (`%2f`, `%5c`) and dot segments (`.`, `..`, also
 * percent-encoded) — each of which a URL parser or the provider could
 * resolve into another prefix or host.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
	const target = raw ?? '';
	if (!target.startsWith('/') || target.startsWith('//')) {
		return { ok: false, reason: 'the request target must be a path (origin-form, /…)' };
	}
	const query = target.indexOf('?');
	const path = query === -1 ? target : target.slice(0, query);
	const search = query === -1 ? '' : target.slice(query);
	if (path.includes('\\') || ENCODED_SEPARATOR.test(path)) {
		return { ok: false, reason: 'the path holds a backslash or an encoded / or \\' };
	}
	for (const segment of path.split('/')) {
		const decoded = segment.replace(/%2e/gi, '.');
		if (decoded === '.' || decoded === '..') {
			return { ok: false, reason: 'the path holds a . or .. segment' };
		}
	}
	if (search.includes('#')) return { ok: false, reason: 'the target holds a fragment' };
	return { ok: true, path, search };
}

/**
 * `<baseUrl><rest><search>` as a URL, checked to be on the base URL's
 * scheme, host, port and user, under its path; undefined when the base URL
 * is not an http(s) URL or the result would leave it.
 */
export function upstreamUrl(baseUrl: string, rest: string, search: string): URL | undefined {
	const base = baseUrl.replace(/\/+$/, '');
	let origin: URL;
	let target: URL;
	try {
		origin = new URL(base);
		target = new URL(`${base}${rest}${search}`);
	} catch {
		return undefined;
	}
	if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return undefined;
	if (
		target.protocol !== origin.protocol ||
		target.host !== origin.host ||
		target.username !== origin.username ||
		target.password !== origin.password
	) {
		return undefined;
	}
	const prefix = origin.pathname.replace(/\/+$/, '');
	if (target.pathname !== prefix && !target.pathname.startsWith(`${prefix}/`)) return undefined;
	return target;
}

/** A base URL as it may be shown (errors, logs): without its user and password. */
export function shownBaseUrl(baseUrl: string): string {
	try {
		const url = new URL(baseUrl.replace(/\/+$/, ''));
		url.username = '';
		url.password = '';
		return url.toString().replace(/\/+$/, '');
	} catch {
		return '(a base URL that does not parse)';
	}
}
