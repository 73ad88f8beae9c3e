import { type AgentSpaceDb, prepared } from '@agentspace/db';
import type { ProviderId } from '../providers.js';

/** A `provider_keys` row. */
export interface ProviderKeyRow {
	readonly provider: ProviderId;
	readonly base_url: string | null;
	readonly fingerprint: string;
	readonly storage: 'keychain' | 'file';
	readonly added_at: string;
	readonly updated_at: string;
	readonly added_by: string;
}

/** The row of a provider, if it has a key. */
export function providerKeyRow(db: AgentSpaceDb, provider: ProviderId): ProviderKeyRow | undefined {
	return prepared(
		db.$client,
		`SELECT provider, base_url, fingerprint, storage, added_at, updated_at, added_by
		FROM provider_keys WHERE provider = ?`,
	).get(provider) as ProviderKeyRow | undefined;
}
