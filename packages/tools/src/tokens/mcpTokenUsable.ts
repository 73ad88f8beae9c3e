import type { AgentSpaceDb } from '@agentspace/db';
import { bearerTokenUsable } from '@agentspace/events';
import { MCP_TOKEN_KIND } from './mcpTokenKind.js';

/**
 * True while the minted token `tokenId` may be used: it exists, is not
 * revoked and has not expired at `now`. For an endpoint that checks, now and
 * then, the sessions a token opened (the token itself is checked by
 * verifyMcpToken on every request).
 */
export function mcpTokenUsable(db: AgentSpaceDb, tokenId: string, now: Date = new Date()): boolean {
	return bearerTokenUsable(db, MCP_TOKEN_KIND, tokenId, now);
}
