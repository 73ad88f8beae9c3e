import { createHash, timingSafeEqual } from 'node:crypto';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { bearerTokenIdOf } from './bearerTokenFormat.js';
import type { BearerTokenKind } from './bearerTokenKind.js';

/** Why a bearer token was refused. */
export type BearerTokenRefusal = 'no-token' | 'wrong-token' | 'expired-token' | 'revoked-token';

/** What {@link verifyBearerToken} found. */
export type BearerTokenCheck =
	| { readonly ok: true; readonly tokenId: string; readonly name: string | null }
	| { readonly ok: false; readonly refusal: BearerTokenRefusal; readonly tokenId?: string };

/**
 * Checks a presented token of `kind`: minted, neither expired nor revoked. A
 * minted token carries its id, which finds its row; the sha256 of what was
 * sent is then compared with the stored hash in constant time, and only then
 * are expiry and revocation told apart, so a guess learns nothing but "wrong".
 */
export function verifyBearerToken(
	db: AgentSpaceDb,
	kind: BearerTokenKind,
	presented: string | undefined,
	options: { readonly now?: () => Date } = {},
): BearerTokenCheck {
	if (presented === undefined || presented === '') return { ok: false, refusal: 'no-token' };
	const tokenId = bearerTokenIdOf(kind, presented);
	if (tokenId === undefined) return { ok: false, refusal: 'wrong-token' };
	const row = prepared(
		db.$client,
		`SELECT token_hash, name, expires_at, revoked_at FROM ${kind.table} WHERE token_id = ?`,
	).get(tokenId) as
		| { token_hash: string; name: string | null; expires_at: string; revoked_at: string | null }
		| undefined;
	const sent = createHash('sha256').update(presented, 'utf8').digest();
	// Compared even without a row (against zeros), so a known id costs the same as an unknown one.
	const stored = row === undefined ? Buffer.alloc(32) : Buffer.from(row.token_hash, 'hex');
	const matches = stored.length === 32 && timingSafeEqual(sent, stored) && row !== undefined;
	if (!matches) return { ok: false, refusal: 'wrong-token' };
	if (row.revoked_at !== null) return { ok: false, refusal: 'revoked-token', tokenId };
	const now = (options.now ?? (() => new Date()))().toISOString();
	if (row.expires_at <= now) return { ok: false, refusal: 'expired-token', tokenId };
	return { ok: true, tokenId, name: row.name };
}
