import type { AgentSpaceDb } from '@agentspace/db';
import { type BearerTokenInfo, listBearerTokens } from '@agentspace/events';
import { MCP_TOKEN_KIND } from './mcpTokenKind.js';

/** One minted token as `mcp token list` shows it (never the token: it is not stored). */
export type McpTokenInfo = BearerTokenInfo;

/** Every minted token, newest first, with its status at `now`. */
export function listMcpTokens(
	db: AgentSpaceDb,
	options: { readonly now?: () => Date } = {},
): readonly McpTokenInfo[] {
	return listBearerTokens(db, MCP_TOKEN_KIND, options);
}
