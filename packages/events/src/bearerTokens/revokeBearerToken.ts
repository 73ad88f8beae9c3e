import { ConflictError, NotFoundError, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '../catalogue/envelope.js';
import { appendBearerTokenChange } from './appendBearerTokenChange.js';
import { isBearerTokenId } from './bearerTokenFormat.js';
import type { BearerTokenKind } from './bearerTokenKind.js';

/** Options of {@link revokeBearerToken}. */
export interface RevokeBearerTokenOptions {
	/** The token's id (prefix and 12 characters, as the list shows it). */
	readonly tokenId: string;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/**
 * Revokes a minted token of `kind`: its revoked event and audit entry in one
 * transaction; the endpoint refuses it from its next request. An unknown id
 * is NOT_FOUND, one revoked already CONFLICT.
 */
export function revokeBearerToken(
	db: AgentSpaceDb,
	kind: BearerTokenKind,
	options: RevokeBearerTokenOptions,
): { readonly tokenId: string; readonly audit: AuditRecord } {
	const { tokenId } = options;
	if (!isBearerTokenId(kind, tokenId)) {
		throw new ValidationError(`invalid token id ${JSON.stringify(tokenId.slice(0, 80))}`, {
			hint: `give the id (${kind.prefix} and 12 characters) as ${kind.command} list shows it, not the token`,
		});
	}
	const audit = withImmediateTransaction(db, (tx) => {
		const row = tx.$client
			.prepare(`SELECT revoked_at FROM ${kind.table} WHERE token_id = ?`)
			.get(tokenId) as { revoked_at: string | null } | undefined;
		if (row === undefined) {
			throw new NotFoundError(`no ${kind.label} ${tokenId}`, {
				hint: `see the minted tokens: ${kind.command} list`,
			});
		}
		if (row.revoked_at !== null) {
			throw new ConflictError(`${kind.label} ${tokenId} was revoked already (${row.revoked_at})`, {
				hint: 'nothing to do: the endpoint refuses it',
			});
		}
		return appendBearerTokenChange(tx, kind, {
			actor: options.actor,
			tokenId,
			change: 'revoked',
			fields: { token_id: tokenId },
			metadata: {},
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		}).audit;
	});
	return { tokenId, audit };
}
