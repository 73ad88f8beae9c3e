import type { ChangeActor } from '@agentspace/agents';
import { AuthError, constantTimeEqual } from '@agentspace/core';
import type { SessionStore, UiSession } from './sessionStore.js';

// Who is asking, decided in one place and refused with AuthError (AUTH_FAILED),
// as every authentication failure in AgentSpace is. The routes and guards only
// present the refusal (status, page, audit entry); they decide nothing.

/** What logging in checks a token against. */
export interface LoginAuthority {
	readonly sessions: SessionStore;
	/** The home's auth token: it logs in as `owner`. */
	readonly authToken: string;
	readonly owner: ChangeActor;
}

/**
 * The person a login token stands for: a one-time login token (used up here),
 * or the home's auth token (the owner). Throws {@link AuthError} for a
 * missing, invalid, used or expired token; `how` ('login link', 'pasted
 * token') is named in its message, which the audit entry records.
 */
export function authenticateLogin(
	authority: LoginAuthority,
	token: string | undefined,
	how: string,
): ChangeActor {
	const actor =
		token === undefined || token === ''
			? undefined
			: (authority.sessions.redeemLoginToken(token) ??
				(constantTimeEqual(token, authority.authToken) ? authority.owner : undefined));
	if (actor === undefined) {
		throw new AuthError(`login with an invalid, used or expired token (${how})`, {
			hint: 'run `agentspace ui` for a new login link',
		});
	}
	return actor;
}

/**
 * The live session a browser's cookie names (its idle clock restarted).
 * Throws {@link AuthError} when there is no cookie (`no session`) or its
 * session is unknown or has expired.
 */
export function authenticateSession(sessions: SessionStore, id: string | undefined): UiSession {
	const session = id === undefined ? undefined : sessions.touch(id);
	if (session === undefined) {
		throw new AuthError(id === undefined ? 'no session' : 'expired or unknown session', {
			hint: 'log in again: run `agentspace ui` for a new login link',
		});
	}
	return session;
}
