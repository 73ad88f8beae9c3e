import { defineProjection } from './defineProjection.js';

/**
 * The MCP tokens projection: `mcp_tokens`, one row per minted token (its
 * hash, never the token), marked when revoked. Expiry is not a change of
 * state: readers compare `expires_at` with their own clock.
 */
export const mcpTokensProjection = defineProjection({
	name: 'mcp-tokens',
	tables: ['mcp_tokens'],
	handlers: {
		mcp_token_minted: (context, e) => {
			context.run(
				`INSERT INTO mcp_tokens (token_id, name, token_hash, created_at, created_by, expires_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING`,
				e.token_id,
				e.name ?? null,
				e.token_hash,
				e.timestamp,
				e.metadata.actor.id,
				e.expires_at,
			);
		},
		mcp_token_revoked: (context, e) => {
			// The first revocation stands: a second one changes nothing.
			context.run(
				`UPDATE mcp_tokens SET revoked_at = ?, revoked_by = ? WHERE token_id = ? AND revoked_at IS NULL`,
				e.timestamp,
				e.metadata.actor.id,
				e.token_id,
			);
		},
	},
});
