import type { MiddlewareHandler } from 'hono';

/**
 * The headers every response carries, refusals and errors included. The CSP
 * allows nothing but this origin's own stylesheet (no scripts are served at
 * all); framing is refused twice (CSP and X-Frame-Options) against
 * clickjacking; no CORS header is ever sent, so other origins cannot read a
 * response.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'Content-Security-Policy':
		"default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
	'X-Frame-Options': 'DENY',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	// Pages show permissions and audit entries: never kept by the browser.
	'Cache-Control': 'no-store',
};

/** Sets {@link SECURITY_HEADERS} on every response, after the handler ran. */
export function securityHeaders(): MiddlewareHandler {
	return async (c, next) => {
		await next();
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
	};
}
