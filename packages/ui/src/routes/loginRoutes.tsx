import type { ChangeActor } from '@agentspace/agents';
import { isAuthError } from '@agentspace/core';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticateLogin } from '../security/authenticate.js';
import { readForm, refuseMalformed } from '../security/readForm.js';
import { auditRefusal } from '../security/refuseRequest.js';
import { sessionCookieName } from '../security/requestGuards.js';
import { recordUiEvent } from '../uiAudit.js';
import type { AdminUiDeps, UiEnv } from '../uiContext.js';
import { LoginPage } from '../views/loginPage.js';

/**
 * Logging in: `GET /login?token=…` (the link `agentspace ui` prints) or the
 * token pasted into the form. A login token works once; the home's auth token
 * works too. Success starts a session (`ui.session_started`) and sets its
 * cookie (HttpOnly, SameSite=Strict, expiring with the session); a bad token
 * is refused and audited.
 */
export function registerLoginRoutes(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	const logIn = async (c: Context<UiEnv>, token: string | undefined, how: string) => {
		let actor: ChangeActor;
		try {
			actor = authenticateLogin(deps, token, how);
		} catch (error) {
			if (!isAuthError(error)) throw error;
			auditRefusal(c, deps, 'login', error.message);
			return c.html(
				<LoginPage problem="That login link or token is not valid: it was used already, has expired, or was mistyped. Run `agentspace ui` for a new link." />,
				403,
			);
		}
		// A browser logging in again leaves no older session of its own behind.
		const previous = getCookie(c, sessionCookieName(deps.port));
		if (previous !== undefined) deps.sessions.end(previous);
		const session = deps.sessions.create(actor);
		await recordUiEvent(deps, actor, 'ui.session_started', { how });
		setCookie(c, sessionCookieName(deps.port), session.id, {
			httpOnly: true,
			sameSite: 'Strict',
			path: '/',
			maxAge: Math.floor(deps.sessions.limits.absoluteMs / 1000),
		});
		return c.redirect('/', 303);
	};
	app.get('/login', (c) => {
		const token = c.req.query('token');
		// HEAD (link previews, prefetch) must not use up a one-time link.
		if (token === undefined || c.req.method === 'HEAD') return c.html(<LoginPage />);
		return logIn(c, token, 'login link');
	});
	app.post('/login', async (c) => {
		const form = await readForm(c);
		if (form === undefined) return refuseMalformed(c, deps);
		const token = form.token;
		return logIn(c, typeof token === 'string' ? token.trim() : undefined, 'pasted token');
	});
}

/** `POST /logout`: ends the session (`ui.session_ended`) and clears its cookie. */
export function registerLogoutRoute(app: Hono<UiEnv>, deps: AdminUiDeps): void {
	app.post('/logout', async (c) => {
		const session = c.get('session');
		deps.sessions.end(session.id);
		await recordUiEvent(deps, session.actor, 'ui.session_ended', {});
		deleteCookie(c, sessionCookieName(deps.port), { path: '/' });
		return c.redirect('/login', 303);
	});
}
