import { describe, expect, it } from 'vitest';
import { SessionStore } from './sessionStore.js';

const actor = { type: 'human', id: 'ada' } as const;
const limits = { loginTokenMs: 1000, idleMs: 100, absoluteMs: 250 };

function storeAt(start = 0): { store: SessionStore; advance(ms: number): void } {
	let now = start;
	return {
		store: new SessionStore(limits, () => now),
		advance: (ms) => {
			now += ms;
		},
	};
}

describe('SessionStore', () => {
	it('redeems a login token once, for the actor it was issued to', () => {
		const { store } = storeAt();
		const { token } = store.issueLoginToken(actor);
		expect(store.redeemLoginToken('not-it')).toBeUndefined();
		expect(store.redeemLoginToken(token)).toEqual(actor);
		expect(store.redeemLoginToken(token)).toBeUndefined();
	});

	it('refuses a login token after it expires', () => {
		const { store, advance } = storeAt();
		const { token, expiresAt } = store.issueLoginToken(actor);
		expect(expiresAt).toBe(1000);
		advance(1000);
		expect(store.redeemLoginToken(token)).toBeUndefined();
	});

	it('ends a session after its idle time', () => {
		const { store, advance } = storeAt();
		const session = store.create(actor);
		advance(99);
		expect(store.touch(session.id)).toBe(session);
		advance(99);
		expect(store.touch(session.id)).toBe(session);
		advance(100);
		expect(store.touch(session.id)).toBeUndefined();
		expect(store.touch(session.id)).toBeUndefined();
	});

	it('ends a session after its absolute time, however active', () => {
		const { store, advance } = storeAt();
		const session = store.create(actor);
		for (let t = 0; t < 240; t += 60) {
			advance(60);
			expect(store.touch(session.id)).toBe(session);
		}
		advance(10);
		expect(store.touch(session.id)).toBeUndefined();
	});

	it('gives each session its own unguessable id and CSRF token', () => {
		const { store } = storeAt();
		const a = store.create(actor);
		const b = store.create(actor);
		expect(a.id).not.toBe(b.id);
		expect(a.csrfToken).not.toBe(b.csrfToken);
		expect(a.id).toMatch(/^[\w-]{43}$/);
		expect(a.csrfToken).not.toBe(a.id);
	});

	it('forgets every session and login token on clear', () => {
		const { store } = storeAt();
		const session = store.create(actor);
		const { token } = store.issueLoginToken(actor);
		store.clear();
		expect(store.touch(session.id)).toBeUndefined();
		expect(store.redeemLoginToken(token)).toBeUndefined();
	});
});
