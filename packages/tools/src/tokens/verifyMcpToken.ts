import { createHash, timingSafeEqual } from 'node:crypto';
import { constantTimeEqual } from '@agentspace/core';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { mcpTokenIdOf } from './mcpTokenFormat.js';

/** Why a bearer token was refused (folded by this kind in the audit log). */
export type McpTokenRefusal = 'no-token' | 'wrong-token' | 'expired-token' | 'revoked-token';

/** What {@link verifyMcpToken} found. */
export type McpTokenCheck =
	| { readonly ok: true; readonly via: 'home' }
	| {
			readonly ok: true;
			readonly via: 'minted';
			readonly tokenId: string;
			readonly name: string | null;
	  }
	| { readonly ok: false; readonly refusal: McpTokenRefusal; readonly tokenId?: string };

/** Options of {@link verifyMcpToken}. */
export interface VerifyMcpTokenOptions {
	/** The home's auth token (the daemon's own), accepted as well. */
	readonly homeToken?: string;
	readonly now?: () => Date;
}

/**
 * Checks a bearer token: the home's token, or a minted one that is neither
 * expired nor revoked. A minted token carries its id, which finds its row;
 * the sha256 of what was sent is then compared with the stored hash in
 * constant time (so is the home token), and only then are expiry and
 * revocation told apart, so a guess learns nothing but "wrong".
 */
export function verifyMcpToken(
	db: AgentSpaceDb,
	presented: string | undefined,
	options: VerifyMcpTokenOptions = {},
): McpTokenCheck {
	if (presented === undefined || presented === '') return { ok: false, refusal: 'no-token' };
	if (options.homeToken !== undefined && constantTimeEqual(presented, options.homeToken)) {
		return { ok: true, via: 'home' };
	}
	const tokenId = mcpTokenIdOf(presented);
	if (tokenId === undefined) return { ok: false, refusal: 'wrong-token' };
	const row = prepared(
		db.$client,
		'SELECT token_hash, name, expires_at, revoked_at FROM mcp_tokens WHERE token_id = ?',
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
	return { ok: true, via: 'minted', tokenId, name: row.name };
}
