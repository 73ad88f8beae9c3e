import { ConflictError, sha256Hex, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { generateMcpToken } from './mcpTokenFormat.js';
import { DEFAULT_MCP_TOKEN_LIFETIME_MS, MAX_MCP_TOKEN_LIFETIME_MS } from './mcpTokenLifetime.js';
import { appendMcpTokenChange } from './recordMcpTokenChange.js';

/** The most tokens that may be usable at once (neither expired nor revoked). */
export const MAX_ACTIVE_MCP_TOKENS = 100;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:@-]{0,99}$/;

/** Options of {@link mintMcpToken}. */
export interface MintMcpTokenOptions {
	/** Who mints it: recorded on the event and the audit entry. */
	readonly actor: Actor;
	/** A name to recognise it by, e.g. the client it is for. */
	readonly name?: string;
	/** How long it works (default 30 days, at most 365). */
	readonly lifetimeMs?: number;
	readonly sourceApp?: string;
	/** The clock (tests). */
	readonly now?: () => Date;
}

/** A minted token: `token` is the secret, shown once and stored nowhere. */
export interface MintedMcpToken {
	readonly tokenId: string;
	readonly token: string;
	readonly name: string | null;
	readonly expiresAt: string;
	readonly audit: AuditRecord;
}

/**
 * Mints a bearer token for the MCP HTTP endpoint: `mcp_token_minted` (with
 * the token's sha256, never the token) and an `mcp.token_minted` audit entry,
 * in one transaction. The caller shows the token once; nothing can show it
 * again. Refused past {@link MAX_ACTIVE_MCP_TOKENS} usable tokens.
 */
export function mintMcpToken(db: AgentSpaceDb, options: MintMcpTokenOptions): MintedMcpToken {
	const lifetimeMs = options.lifetimeMs ?? DEFAULT_MCP_TOKEN_LIFETIME_MS;
	if (
		!Number.isInteger(lifetimeMs) ||
		lifetimeMs < 60_000 ||
		lifetimeMs > MAX_MCP_TOKEN_LIFETIME_MS
	) {
		throw new ValidationError('a token lives from one minute to 365 days', {
			hint: 'give e.g. --expires 24h or --expires 30d',
		});
	}
	if (options.name !== undefined && !NAME_PATTERN.test(options.name)) {
		throw new ValidationError(`invalid token name ${JSON.stringify(options.name.slice(0, 120))}`, {
			hint: 'use 1-100 letters, digits, spaces or . _ : @ -, starting with a letter or digit, e.g. --name claude-desktop',
		});
	}
	const now = (options.now ?? (() => new Date()))();
	const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
	const { tokenId, token } = generateMcpToken();
	const audit = withImmediateTransaction(db, (tx) => {
		const active = tx.$client
			.prepare('SELECT count(*) FROM mcp_tokens WHERE revoked_at IS NULL AND expires_at > ?')
			.pluck()
			.get(now.toISOString()) as number;
		if (active >= MAX_ACTIVE_MCP_TOKENS) {
			throw new ConflictError(
				`${active} MCP tokens are usable already (at most ${MAX_ACTIVE_MCP_TOKENS})`,
				{
					hint: 'revoke the ones no client uses: agentspace mcp token list, then agentspace mcp token revoke <id>',
				},
			);
		}
		return appendMcpTokenChange(tx, {
			actor: options.actor,
			tokenId,
			event: 'mcp_token_minted',
			fields: {
				token_id: tokenId,
				token_hash: sha256Hex(token),
				expires_at: expiresAt,
				...(options.name === undefined ? {} : { name: options.name }),
			},
			auditType: 'mcp.token_minted',
			metadata: { expiresAt, ...(options.name === undefined ? {} : { name: options.name }) },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		}).audit;
	});
	return { tokenId, token, name: options.name ?? null, expiresAt, audit };
}
