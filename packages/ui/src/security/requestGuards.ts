import { constantTimeEqual, isAuthError } from '@agentspace/core';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type AdminUiDeps, UI_HOSTNAME, type UiEnv, uiAddress, uiUrl } from '../uiContext.js';
import { authenticateSession } from './authenticate.js';
import { sentHost } from './hostShield.js';
import { readForm, refuseMalformed } from './readForm.js';
import { auditRefusal, type RefusalKind, refuseRequest } from './refuseRequest.js';
import type { UiSession } from './sessionStore.js';

/** The names the UI answers to (with the port; browsers leave out `:80`). */
export function uiHosts(port: number): readonly string[] {
	const hosts = [uiAddress(port), `localhost:${port}`];
	return port === 80 ? [...hosts, UI_HOSTNAME, 'localhost'] : hosts;
}

/** The session cookie's name: per port, since browsers share cookies across a host's ports. */
export function sessionCookieName(port: number): string {
	return `agentspace_ui_${port}`;
}

function isStateChanging(method: string): boolean {
	return method !== 'GET' && method !== 'HEAD';
}

/**
 * Answers only requests addressed to the UI itself: a page on a DNS name that
 * a rebinding attack points at 127.0.0.1 sends its own name as Host, and is
 * refused here before anything else runs.
 */
export function hostGuard(deps: AdminUiDeps): MiddlewareHandler<UiEnv> {
	const hosts = uiHosts(deps.port);
	return async (c, next) => {
		// The Host sent, if the UI's server had to replace it for the adapter (see createUiServer).
		const sent = sentHost(c.env?.incoming);
		const host = (sent === null ? c.req.header('host') : sent)?.toLowerCase();
		if (host === undefined || !hosts.includes(host)) {
			return refuseRequest(c, deps, {
				kind: 'host',
				status: 403,
				reason: `wrong Host header (${host === undefined ? 'none' : JSON.stringify(host.slice(0, 100))}; expected ${hosts.join(' or ')})`,
				hint: `open the UI at ${uiUrl(deps.port)}`,
			});
		}
		await next();
	};
}

/**
 * A state-changing request must come from the UI's own pages. The browser
 * says where a request comes from in headers a page cannot set: a
 * `Sec-Fetch-Site` other than `same-origin` is refused outright; then Origin
 * must be the UI's, else (no Origin, or `null`) Referer, else
 * `Sec-Fetch-Site: same-origin` vouches for it. Under `Referrer-Policy:
 * no-referrer` a browser sends a same-origin form post with `Origin: null` and
 * no Referer, so that last case is the UI's own forms. A request with none of
 * the three (not a browser) is refused.
 */
export function sameOriginGuard(deps: AdminUiDeps): MiddlewareHandler<UiEnv> {
	const origins = uiHosts(deps.port).map((host) => `http://${host}`);
	const refuse = (c: Parameters<MiddlewareHandler<UiEnv>>[0], kind: RefusalKind, reason: string) =>
		refuseRequest(c, deps, {
			kind,
			status: 403,
			reason,
			hint: 'use the forms of the UI itself; other sites and pages cannot act through it',
		});
	return async (c, next) => {
		if (!isStateChanging(c.req.method)) return next();
		const fetchSite = c.req.header('sec-fetch-site');
		if (fetchSite !== undefined && fetchSite !== 'same-origin') {
			return refuse(
				c,
				'cross-origin',
				`cross-origin request (Sec-Fetch-Site: ${fetchSite.slice(0, 40)})`,
			);
		}
		const origin = c.req.header('origin');
		if (origin !== undefined && origin !== 'null') {
			if (!origins.includes(origin)) {
				return refuse(
					c,
					'foreign-origin',
					`foreign Origin ${JSON.stringify(origin.slice(0, 100))}`,
				);
			}
			return next();
		}
		const referer = c.req.header('referer');
		if (referer !== undefined) {
			let refererOrigin = '';
			try {
				refererOrigin = new URL(referer).origin;
			} catch {
				// Unparseable: refused below like a foreign one.
			}
			if (!origins.includes(refererOrigin)) {
				return refuse(
					c,
					'foreign-referer',
					`foreign Referer ${JSON.stringify(referer.slice(0, 100))}`,
				);
			}
			return next();
		}
		if (fetchSite === 'same-origin') return next();
		return refuse(
			c,
			'no-origin',
			'no Origin, Referer or Sec-Fetch-Site header: not sent from the UI',
		);
	};
}

/**
 * Finds the browser's session (HttpOnly, SameSite=Strict cookie). Without a
 * live one, a page request goes to the login page and anything else is
 * refused; both are audited.
 */
export function sessionGuard(deps: AdminUiDeps): MiddlewareHandler<UiEnv> {
	const cookie = sessionCookieName(deps.port);
	return async (c, next) => {
		const id = getCookie(c, cookie);
		let session: UiSession;
		try {
			session = authenticateSession(deps.sessions, id);
		} catch (error) {
			if (!isAuthError(error)) throw error;
			const kind = id === undefined ? 'no-session' : 'expired-session';
			if (!isStateChanging(c.req.method)) {
				auditRefusal(c, deps, kind, error.message);
				return c.redirect('/login', 303);
			}
			return refuseRequest(c, deps, {
				kind,
				status: 401,
				reason: error.message,
				hint: error.hint ?? '',
			});
		}
		c.set('session', session);
		await next();
	};
}

/**
 * Every state-changing request carries the session's CSRF token in the form
 * field `_csrf`: a page elsewhere cannot read it, so it cannot forge one. The
 * form it read is the route's (`c.get('form')`).
 */
export function csrfGuard(deps: AdminUiDeps): MiddlewareHandler<UiEnv> {
	return async (c, next) => {
		if (!isStateChanging(c.req.method)) return next();
		const form = await readForm(c);
		if (form === undefined) return refuseMalformed(c, deps);
		const sent = form._csrf;
		const session = c.get('session');
		if (typeof sent !== 'string' || !constantTimeEqual(sent, session.csrfToken)) {
			return refuseRequest(c, deps, {
				kind: 'csrf',
				status: 403,
				reason: typeof sent === 'string' ? 'wrong CSRF token' : 'missing CSRF token',
				hint: 'reload the page and submit the form again',
			});
		}
		c.set('form', form);
		await next();
	};
}
