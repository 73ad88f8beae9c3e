import { bearerTokensProjection } from './bearerTokensProjection.js';

/**
 * The key tokens projection: `key_tokens`, the LLM endpoint's user tokens,
 * kept as `mcp_tokens` keeps the MCP endpoint's (the hash, never the token;
 * the first revocation stands; expiry is for readers to compare).
 */
export const keyTokensProjection = bearerTokensProjection({
	name: 'key-tokens',
	table: 'key_tokens',
	events: { minted: 'key_token_minted', revoked: 'key_token_revoked' },
});
