import { ConflictError, sha256Hex, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '../catalogue/envelope.js';
import { appendBearerTokenChange } from './appendBearerTokenChange.js';
import { generateBearerToken } from './bearerTokenFormat.js';
import type { BearerTokenKind } from './bearerTokenKind.js';
import {
	DEFAULT_BEARER_TOKEN_LIFETIME_MS,
	MAX_BEARER_TOKEN_LIFETIME_MS,
} from './bearerTokenLifetime.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:@-]{0,99}$/;

/** Options of {@link mintBearerToken}. */
export interface MintBearerTokenOptions {
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
export interface MintedBearerToken {
	readonly tokenId: string;
	readonly token: string;
	readonly name: string | null;
	readonly expiresAt: string;
	readonly audit: AuditRecord;
}

/**
 * Mints a bearer token of `kind`: its minted event (with the token's sha256,
 * never the token) and its audit entry, in one transaction. The caller shows
 * the token once; nothing can show it again. Refused past the kind's
 * `maxActive` usable tokens.
 */
export function mintBearerToken(
	db: AgentSpaceDb,
	kind: BearerTokenKind,
	options: MintBearerTokenOptions,
): MintedBearerToken {
	const lifetimeMs = options.lifetimeMs ?? DEFAULT_BEARER_TOKEN_LIFETIME_MS;
	if (
		!Number.isInteger(lifetimeMs) ||
		lifetimeMs < 60_000 ||
		lifetimeMs > MAX_BEARER_TOKEN_LIFETIME_MS
	) {
		throw new ValidationError('a token lives from one minute to 365 days', {
			hint: 'give e.g. --expires 24h or --expires 30d',
		});
	}
	if (options.name !== undefined && !NAME_PATTERN.test(options.name)) {
		throw new ValidationError(`invalid token name ${JSON.stringify(options.name.slice(0, 120))}`, {
			hint: `use 1-100 letters, digits, spaces or . _ : @ -, starting with a letter or digit, e.g. --name ${kind.exampleName}`,
		});
	}
	const now = (options.now ?? (() => new Date()))();
	const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
	const { tokenId, token } = generateBearerToken(kind);
	const audit = withImmediateTransaction(db, (tx) => {
		const active = tx.$client
			.prepare(`SELECT count(*) FROM ${kind.table} WHERE revoked_at IS NULL AND expires_at > ?`)
			.pluck()
			.get(now.toISOString()) as number;
		if (active >= kind.maxActive) {
			throw new ConflictError(
				`${active} ${kind.label}s are usable already (at most ${kind.maxActive})`,
				{
					hint: `revoke the ones no client uses: ${kind.command} list, then ${kind.command} revoke <id>`,
				},
			);
		}
		return appendBearerTokenChange(tx, kind, {
			actor: options.actor,
			tokenId,
			change: 'minted',
			fields: {
				token_id: tokenId,
				token_hash: sha256Hex(token),
				expires_at: expiresAt,
				...(options.name === undefined ? {} : { name: options.name }),
			},
			metadata: { expiresAt, ...(options.name === undefined ? {} : { name: options.name }) },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		}).audit;
	});
	return { tokenId, token, name: options.name ?? null, expiresAt, audit };
}
