import { defineProjection } from './defineProjection.js';

/**
 * The key tokens projection: `key_tokens`, the LLM endpoint's user tokens,
 * kept as `mcp_tokens` keeps the MCP endpoint's (the hash, never the token;
 * the first revocation stands; expiry is for readers to compare).
 */
export const keyTokensProjection = defineProjection({
	name: 'key-tokens',
	tables: ['key_tokens'],
	handlers: {
		key_token_minted: (context, e) => {
			context.run(
				`INSERT INTO key_tokens (token_id, name, token_hash, created_at, created_by, expires_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING`,
				e.token_id,
				e.name ?? null,
				e.token_hash,
				e.timestamp,
				e.metadata.actor.id,
				e.expires_at,
			);
		},
		key_token_revoked: (context, e) => {
			context.run(
				`UPDATE key_tokens SET revoked_at = ?, revoked_by = ? WHERE token_id = ? AND revoked_at IS NULL`,
				e.timestamp,
				e.metadata.actor.id,
				e.token_id,
			);
		},
	},
});
