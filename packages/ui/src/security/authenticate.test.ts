import type { ChangeActor } from '@agentspace/agents';
import { AuthError, isAuthError } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { authenticateLogin, authenticateSession } from './authenticate.js';
import { SessionStore } from './sessionStore.js';

const OWNER: ChangeActor = { type: 'human', id: 'owner' };
const ASKER: ChangeActor = { type: 'human', id: 'asker' };
const AUTH_TOKEN = 'a'.repeat(43);

function setUp() {
	let now = 1_000_000;
	const sessions = new SessionStore(
		{ loginTokenMs: 60_000, idleMs: 60_000, absoluteMs: 600_000 },
		() => now,
	);
	return {
		authority: { sessions, authToken: AUTH_TOKEN, owner: OWNER },
		sessions,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

function refusal(act: () => unknown): AuthError {
	try {
		act();
	} catch (error) {
		if (isAuthError(error)) return error;
		throw error;
	}
	throw new Error('expected an AuthError');
}

describe('authenticateLogin', () => {
	it('lets a login token in once, as the person it was issued to', () => {
		const { authority, sessions } = setUp();
		const { token } = sessions.issueLoginToken(ASKER);
		expect(authenticateLogin(authority, token, 'login link')).toEqual(ASKER);
		const used = refusal(() => authenticateLogin(authority, token, 'login link'));
		expect(used).toBeInstanceOf(AuthError);
		expect(used.code).toBe('AUTH_FAILED');
		expect(used.message).toBe('login with an invalid, used or expired token (login link)');
	});

	it("lets the home's auth token in as the owner", () => {
		const { authority } = setUp();
		expect(authenticateLogin(authority, AUTH_TOKEN, 'pasted token')).toEqual(OWNER);
	});

	it.each([
		['a missing token', undefined],
		['an empty token', ''],
		['a wrong token', 'b'.repeat(43)],
	])('refuses %s with AUTH_FAILED', (_, token) => {
		const { authority } = setUp();
		const error = refusal(() => authenticateLogin(authority, token, 'pasted token'));
		expect(error.code).toBe('AUTH_FAILED');
		expect(error.message).toBe('login with an invalid, used or expired token (pasted token)');
		expect(error.hint).toMatch(/agentspace ui/);
	});

	it('refuses an expired login token', () => {
		const { authority, sessions, advance } = setUp();
		const { token } = sessions.issueLoginToken(ASKER);
		advance(60_001);
		expect(refusal(() => authenticateLogin(authority, token, 'login link')).code).toBe(
			'AUTH_FAILED',
		);
	});
});

describe('authenticateSession', () => {
	it('finds a live session', () => {
		const { sessions } = setUp();
		const session = sessions.create(ASKER);
		expect(authenticateSession(sessions, session.id)).toBe(session);
	});

	it('refuses a request without a session cookie', () => {
		const { sessions } = setUp();
		const error = refusal(() => authenticateSession(sessions, undefined));
		expect(error.code).toBe('AUTH_FAILED');
		expect(error.message).toBe('no session');
		expect(error.hint).toBe('log in again: run `agentspace ui` for a new login link');
	});

	it('refuses an unknown or expired session', () => {
		const { sessions, advance } = setUp();
		const session = sessions.create(ASKER);
		advance(60_001);
		for (const id of [session.id, 'unknown']) {
			const error = refusal(() => authenticateSession(sessions, id));
			expect(error.code).toBe('AUTH_FAILED');
			expect(error.message).toBe('expired or unknown session');
		}
	});
});
