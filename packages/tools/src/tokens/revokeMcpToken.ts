import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { type RevokeBearerTokenOptions, revokeBearerToken } from '@agentspace/events';
import { MCP_TOKEN_KIND } from './mcpTokenKind.js';

/** Options of {@link revokeMcpToken}: the token's id (`asmcp_…`, as `mcp token list` shows it). */
export type RevokeMcpTokenOptions = RevokeBearerTokenOptions;

/**
 * Revokes a minted token: `mcp_token_revoked` and an `mcp.token_revoked`
 * audit entry in one transaction; the endpoint refuses it from its next
 * request. An unknown id is NOT_FOUND, one revoked already CONFLICT.
 */
export function revokeMcpToken(
	db: AgentSpaceDb,
	options: RevokeMcpTokenOptions,
): { readonly tokenId: string; readonly audit: AuditRecord } {
	return revokeBearerToken(db, MCP_TOKEN_KIND, options);
}
