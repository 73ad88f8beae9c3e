import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Projection: bearer tokens of the MCP HTTP endpoint (`agentspace mcp token`),
 * written only by the mcp tokens projection. The token itself is never
 * stored: only its sha256, checked in constant time by the endpoint.
 */
export const mcpTokens = sqliteTable('mcp_tokens', {
	/** The token's public id (`asmcp_` + 12 characters), also its first characters. */
	tokenId: text('token_id').primaryKey(),
	/** A name the person chose to recognise it by; null when none. */
	name: text('name'),
	/** sha256 hex of the whole token. */
	tokenHash: text('token_hash').notNull(),
	createdAt: text('created_at').notNull(),
	createdBy: text('created_by').notNull(),
	/** ISO time after which the endpoint refuses it. */
	expiresAt: text('expires_at').notNull(),
	/** ISO time it was revoked; null while it is not. */
	revokedAt: text('revoked_at'),
	revokedBy: text('revoked_by'),
});
