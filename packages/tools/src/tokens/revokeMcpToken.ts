import { ConflictError, NotFoundError, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { appendMcpTokenChange } from './recordMcpTokenChange.js';

/** Options of {@link revokeMcpToken}. */
export interface RevokeMcpTokenOptions {
	/** The token's id (`asmcp_…`, as `mcp token list` shows it). */
	readonly tokenId: string;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/**
 * Revokes a minted token: `mcp_token_revoked` and an `mcp.token_revoked`
 * audit entry in one transaction; the endpoint refuses it from its next
 * request. An unknown id is NOT_FOUND, one revoked already CONFLICT.
 */
export function revokeMcpToken(
	db: AgentSpaceDb,
	options: RevokeMcpTokenOptions,
): { readonly tokenId: string; readonly audit: AuditRecord } {
	const { tokenId } = options;
	if (!/^asmcp_[a-z0-9]{12}$/.test(tokenId)) {
		throw new ValidationError(`invalid token id ${JSON.stringify(tokenId.slice(0, 80))}`, {
			hint: 'give the id (asmcp_ and 12 characters) as agentspace mcp token list shows it, not the token',
		});
	}
	const audit = withImmediateTransaction(db, (tx) => {
		const row = tx.$client
			.prepare('SELECT revoked_at FROM mcp_tokens WHERE token_id = ?')
			.get(tokenId) as { revoked_at: string | null } | undefined;
		if (row === undefined) {
			throw new NotFoundError(`no MCP token ${tokenId}`, {
				hint: 'see the minted tokens: agentspace mcp token list',
			});
		}
		if (row.revoked_at !== null) {
			throw new ConflictError(`MCP token ${tokenId} was revoked already (${row.revoked_at})`, {
				hint: 'nothing to do: the endpoint refuses it',
			});
		}
		return appendMcpTokenChange(tx, {
			actor: options.actor,
			tokenId,
			event: 'mcp_token_revoked',
			fields: { token_id: tokenId },
			auditType: 'mcp.token_revoked',
			metadata: {},
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		}).audit;
	});
	return { tokenId, audit };
}
