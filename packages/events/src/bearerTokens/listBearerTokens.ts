import { type AgentSpaceDb, prepared } from '@agentspace/db';
import type { BearerTokenKind } from './bearerTokenKind.js';

/** One minted token as a `token list` command shows it (never the token: it is not stored). */
export interface BearerTokenInfo {
	readonly tokenId: string;
	readonly name: string | null;
	readonly createdAt: string;
	readonly createdBy: string;
	readonly expiresAt: string;
	readonly revokedAt: string | null;
	readonly revokedBy: string | null;
	/** `active` until it expires or is revoked. */
	readonly status: 'active' | 'expired' | 'revoked';
}

interface Row {
	token_id: string;
	name: string | null;
	created_at: string;
	created_by: string;
	expires_at: string;
	revoked_at: string | null;
	revoked_by: string | null;
}

/** Every minted token of `kind`, newest first, with its status at `now`. */
export function listBearerTokens(
	db: AgentSpaceDb,
	kind: BearerTokenKind,
	options: { readonly now?: () => Date } = {},
): readonly BearerTokenInfo[] {
	const now = (options.now ?? (() => new Date()))().toISOString();
	const rows = prepared(
		db.$client,
		`SELECT token_id, name, created_at, created_by, expires_at, revoked_at, revoked_by
		FROM ${kind.table} ORDER BY created_at DESC, token_id`,
	).all() as Row[];
	return rows.map((row) => ({
		tokenId: row.token_id,
		name: row.name,
		createdAt: row.created_at,
		createdBy: row.created_by,
		expiresAt: row.expires_at,
		revokedAt: row.revoked_at,
		revokedBy: row.revoked_by,
		status: row.revoked_at !== null ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
	}));
}

/**
 * True while the minted token `tokenId` may be used: it exists, is not
 * revoked and has not expired at `now` (for an endpoint that re-checks, now
 * and then, the sessions a token opened).
 */
export function bearerTokenUsable(
	db: AgentSpaceDb,
	kind: BearerTokenKind,
	tokenId: string,
	now: Date = new Date(),
): boolean {
	const row = prepared(
		db.$client,
		`SELECT expires_at, revoked_at FROM ${kind.table} WHERE token_id = ?`,
	).get(tokenId) as { expires_at: string; revoked_at: string | null } | undefined;
	return row !== undefined && row.revoked_at === null && row.expires_at > now.toISOString();
}
