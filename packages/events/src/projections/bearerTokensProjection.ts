import type { BearerTokenKind } from '../bearerTokens/bearerTokenKind.js';
import type { EventOfType } from '../catalogue/catalogue.js';
import { defineProjection, type Projection } from './defineProjection.js';
import type { ProjectionContext } from './projectionContext.js';

/** What a bearer token kind's projection needs: its name, table and events. */
export interface BearerTokensProjectionSpec extends Pick<BearerTokenKind, 'table' | 'events'> {
	/** The projection's name, e.g. `mcp-tokens`. */
	readonly name: string;
}

/**
 * A bearer token kind's projection (`mcp_tokens`, `key_tokens`): one row per
 * minted token (its hash, never the token), marked when revoked. Expiry is
 * not a change of state: readers compare `expires_at` with their own clock.
 * Every kind's table has the same columns, so one projection serves them all.
 */
export function bearerTokensProjection(spec: BearerTokensProjectionSpec): Projection {
	const { table } = spec;
	const minted = (
		context: ProjectionContext,
		e: EventOfType<'mcp_token_minted' | 'key_token_minted'>,
	): void => {
		context.run(
			`INSERT INTO ${table} (token_id, name, token_hash, created_at, created_by, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING`,
			e.token_id,
			e.name ?? null,
			e.token_hash,
			e.timestamp,
			e.metadata.actor.id,
			e.expires_at,
		);
	};
	const revoked = (
		context: ProjectionContext,
		e: EventOfType<'mcp_token_revoked' | 'key_token_revoked'>,
	): void => {
		// The first revocation stands: a second one changes nothing.
		context.run(
			`UPDATE ${table} SET revoked_at = ?, revoked_by = ? WHERE token_id = ? AND revoked_at IS NULL`,
			e.timestamp,
			e.metadata.actor.id,
			e.token_id,
		);
	};
	return defineProjection({
		name: spec.name,
		tables: [table],
		handlers: { [spec.events.minted]: minted, [spec.events.revoked]: revoked },
	});
}
