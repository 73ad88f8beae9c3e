import type { AgentSpaceDb } from '@agentspace/db';
import { type ProviderId, providerSpec } from '../providers.js';
import type { Vault } from '../vault/vaultTypes.js';
import { providerKeyRow } from './providerKeyRow.js';

/** A provider's key as the endpoint needs it. */
export interface ProviderKeyRecord {
	/** The key; undefined for ollama, or when the vault lost it. */
	readonly value?: string;
	readonly baseUrl: string;
	readonly fingerprint: string;
}

/** Reads provider keys for the endpoint, each request: see {@link providerKeyReader}. */
export type ProviderKeyReader = (provider: ProviderId) => Promise<ProviderKeyRecord | undefined>;

/**
 * `readProviderKey` for the endpoint's every request, without reading the
 * vault each time (vault.json, or the keychain, costs a file read and a
 * parse): the key's value is kept in memory by the fingerprint of the
 * `provider_keys` row it was read for. The row is read per request (one
 * indexed SQLite lookup), so a rotate — a new fingerprint — is read from the
 * vault at the next request, and a removed key (no row) is forgotten at
 * once. The base URL always comes from the row.
 */
export function providerKeyReader(db: AgentSpaceDb, vault: Vault): ProviderKeyReader {
	const cached = new Map<ProviderId, { readonly fingerprint: string; readonly value: string }>();
	return async (provider) => {
		const row = providerKeyRow(db, provider);
		if (row === undefined) {
			cached.delete(provider);
			return undefined;
		}
		const spec = providerSpec(provider);
		const baseUrl = row.base_url ?? spec.defaultBaseUrl ?? '';
		if (!spec.needsKey) return { baseUrl, fingerprint: row.fingerprint };
		const known = cached.get(provider);
		if (known !== undefined && known.fingerprint === row.fingerprint) {
			return { baseUrl, fingerprint: row.fingerprint, value: known.value };
		}
		const value = await vault.get({ kind: 'provider-key', name: provider });
		if (value === undefined || value === '') {
			// The vault lost it: nothing kept, asked again next time.
			cached.delete(provider);
			return { baseUrl, fingerprint: row.fingerprint };
		}
		cached.set(provider, { fingerprint: row.fingerprint, value });
		return { baseUrl, fingerprint: row.fingerprint, value };
	};
}
