import { bearerTokensProjection } from './bearerTokensProjection.js';

/**
 * The MCP tokens projection: `mcp_tokens`, one row per minted token (its
 * hash, never the token), marked when revoked (the first revocation stands).
 */
export const mcpTokensProjection = bearerTokensProjection({
	name: 'mcp-tokens',
	table: 'mcp_tokens',
	events: { minted: 'mcp_token_minted', revoked: 'mcp_token_revoked' },
});
