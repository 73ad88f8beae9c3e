import { type AgentSpaceDb, prepared } from '@agentspace/db';

/**
 * True while the minted token `tokenId` may be used: it exists, is not
 * revoked and has not expired at `now`. For an endpoint that checks, now and
 * then, the sessions a token opened (the token itself is checked by
 * verifyMcpToken on every request).
 */
export function mcpTokenUsable(db: AgentSpaceDb, tokenId: string, now: Date = new Date()): boolean {
	const row = prepared(
		db.$client,
		'SELECT expires_at, revoked_at FROM mcp_tokens WHERE token_id = ?',
	).get(tokenId) as { expires_at: string; revoked_at: string | null } | undefined;
	return row !== undefined && row.revoked_at === null && row.expires_at > now.toISOString();
}
