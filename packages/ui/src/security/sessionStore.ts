import { randomBytes } from 'node:crypto';
import type { ChangeActor } from '@agentspace/agents';
import { constantTimeEqual } from '@agentspace/core';

/** How long logins and sessions last. */
export interface SessionLimits {
	/** A login link works once, within this time. */
	readonly loginTokenMs: number;
	/** A session ends after this long without a request… */
	readonly idleMs: number;
	/** …and after this long in any case. */
	readonly absoluteMs: number;
}

/** 5-minute login links; sessions end after 30 idle minutes or 8 hours. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
	loginTokenMs: 5 * 60_000,
	idleMs: 30 * 60_000,
	absoluteMs: 8 * 60 * 60_000,
};

/** A message shown once, on the page a form redirects to. */
export interface Flash {
	readonly kind: 'ok' | 'error';
	readonly text: string;
	readonly hint?: string;
}

/** A logged-in browser. */
export interface UiSession {
	readonly id: string;
	/** Every form carries it; a state-changing request without it is refused. */
	readonly csrfToken: string;
	readonly actor: ChangeActor;
	readonly createdAt: number;
	lastSeenAt: number;
	flash?: Flash;
}

function secret(): string {
	return randomBytes(32).toString('base64url');
}

/**
 * Login tokens and sessions, in memory only: restarting the daemon logs every
 * browser out, and nothing of them is ever on disk.
 */
export class SessionStore {
	readonly #sessions = new Map<string, UiSession>();
	readonly #loginTokens = new Map<string, { expiresAt: number; actor: ChangeActor }>();

	constructor(
		readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	/** A new one-time login token for `actor` (who asked for it) and when it expires. */
	issueLoginToken(actor: ChangeActor): { token: string; expiresAt: number } {
		this.#prune();
		const token = secret();
		const expiresAt = this.now() + this.limits.loginTokenMs;
		this.#loginTokens.set(token, { expiresAt, actor });
		return { token, expiresAt };
	}

	/** Uses up a login token: its actor once, for a token issued and not yet expired; otherwise undefined. */
	redeemLoginToken(token: string): ChangeActor | undefined {
		for (const [known, issued] of this.#loginTokens) {
			if (!constantTimeEqual(known, token)) continue;
			this.#loginTokens.delete(known);
			return issued.expiresAt > this.now() ? issued.actor : undefined;
		}
		return undefined;
	}

	/** Starts a session for `actor`. */
	create(actor: ChangeActor): UiSession {
		this.#prune();
		const now = this.now();
		const session: UiSession = {
			id: secret(),
			csrfToken: secret(),
			actor,
			createdAt: now,
			lastSeenAt: now,
		};
		this.#sessions.set(session.id, session);
		return session;
	}

	/** The live session with this id (its idle clock restarted), or undefined when unknown or expired. */
	touch(id: string): UiSession | undefined {
		const session = this.#sessions.get(id);
		if (session === undefined) return undefined;
		if (!this.#alive(session)) {
			this.#sessions.delete(id);
			return undefined;
		}
		session.lastSeenAt = this.now();
		return session;
	}

	/** Ends a session (logout). */
	end(id: string): void {
		this.#sessions.delete(id);
	}

	/** Ends every session and forgets every login token (the UI closed). */
	clear(): void {
		this.#sessions.clear();
		this.#loginTokens.clear();
	}

	#alive(session: UiSession): boolean {
		const now = this.now();
		return (
			now - session.lastSeenAt < this.limits.idleMs &&
			now - session.createdAt < this.limits.absoluteMs
		);
	}

	#prune(): void {
		const now = this.now();
		for (const [token, issued] of this.#loginTokens)
			if (issued.expiresAt <= now) this.#loginTokens.delete(token);
		for (const [id, session] of this.#sessions)
			if (!this.#alive(session)) this.#sessions.delete(id);
	}
}
