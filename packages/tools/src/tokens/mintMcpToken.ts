import type { AgentSpaceDb } from '@agentspace/db';
import {
	type MintBearerTokenOptions,
	type MintedBearerToken,
	mintBearerToken,
} from '@agentspace/events';
import { MCP_TOKEN_KIND } from './mcpTokenKind.js';

/** The most tokens that may be usable at once (neither expired nor revoked). */
export const MAX_ACTIVE_MCP_TOKENS = MCP_TOKEN_KIND.maxActive;

/** Options of {@link mintMcpToken}. */
export type MintMcpTokenOptions = MintBearerTokenOptions;

/** A minted token: `token` is the secret, shown once and stored nowhere. */
export type MintedMcpToken = MintedBearerToken;

/**
 * Mints a bearer token for the MCP HTTP endpoint: `mcp_token_minted` (with
 * the token's sha256, never the token) and an `mcp.token_minted` audit entry,
 * in one transaction. The caller shows the token once; nothing can show it
 * again. Refused past {@link MAX_ACTIVE_MCP_TOKENS} usable tokens.
 */
export function mintMcpToken(db: AgentSpaceDb, options: MintMcpTokenOptions): MintedMcpToken {
	return mintBearerToken(db, MCP_TOKEN_KIND, options);
}
