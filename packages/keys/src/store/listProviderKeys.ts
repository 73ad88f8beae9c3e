import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { type ProviderId, providerSpec } from '../providers.js';
import type { Vault } from '../vault/vaultTypes.js';
import { type ProviderKeyRecord, providerKeyReader } from './providerKeyReader.js';
import type { ProviderKeyRow } from './providerKeyRow.js';

/** One provider key as `keys list` shows it: never the value. */
export interface ProviderKeyInfo {
	readonly provider: ProviderId;
	/** The URL requests go to: the one set, or the provider's default. */
	readonly baseUrl: string | null;
	readonly fingerprint: string;
	readonly storage: 'keychain' | 'file';
	readonly addedAt: string;
	readonly updatedAt: string;
	/** The last `key_accessed` audit entry's time, or null when never used. */
	readonly lastUsedAt: string | null;
}

/** Every provider with a key, by provider, with when each was last used through the endpoint. */
export function listProviderKeys(db: AgentSpaceDb): readonly ProviderKeyInfo[] {
	const rows = prepared(
		db.$client,
		`SELECT provider, base_url, fingerprint, storage, added_at, updated_at, added_by
		FROM provider_keys ORDER BY provider`,
	).all() as ProviderKeyRow[];
	// One pass over the endpoint's entries (indexed by type), not one per provider.
	const lastUsed = new Map(
		(
			prepared(
				db.$client,
				`SELECT subject_id AS provider, max(ts) AS last FROM audit_log
				WHERE event_type = 'key_accessed' AND subject_type = 'provider' GROUP BY subject_id`,
			).all() as { provider: string; last: string }[]
		).map((row) => [row.provider, row.last]),
	);
	return rows.map((row) => ({
		provider: row.provider,
		baseUrl: row.base_url ?? providerSpec(row.provider).defaultBaseUrl ?? null,
		fingerprint: row.fingerprint,
		storage: row.storage,
		addedAt: row.added_at,
		updatedAt: row.updated_at,
		lastUsedAt: lastUsed.get(row.provider) ?? null,
	}));
}

export type { ProviderKeyRecord } from './providerKeyReader.js';

/**
 * The key of a provider and where to send its requests, or undefined when it
 * has none. For the endpoint only: the value must go nowhere but the
 * provider's auth header.
 */
export function readProviderKey(
	db: AgentSpaceDb,
	vault: Vault,
	provider: ProviderId,
): Promise<ProviderKeyRecord | undefined> {
	// A reader that has kept nothing yet: the row, then (for a provider with a key) the vault.
	return providerKeyReader(db, vault)(provider);
}
