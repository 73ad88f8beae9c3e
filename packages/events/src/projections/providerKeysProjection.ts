import { defineProjection } from './defineProjection.js';

/**
 * The provider keys projection: `provider_keys`, one row per provider with a
 * key (or, for ollama, a URL) in the vault — its fingerprint and where it is
 * stored, never the key. A rotation keeps `added_at` and moves `updated_at`.
 */
export const providerKeysProjection = defineProjection({
	name: 'provider-keys',
	tables: ['provider_keys'],
	handlers: {
		key_added: (context, e) => {
			// An add over an existing row (a log written by hand) replaces it whole.
			context.run(
				`INSERT INTO provider_keys (provider, base_url, fingerprint, storage, added_at, updated_at, added_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (provider) DO UPDATE SET base_url = excluded.base_url,
				fingerprint = excluded.fingerprint, storage = excluded.storage, added_at = excluded.added_at,
				updated_at = excluded.updated_at, added_by = excluded.added_by`,
				e.provider,
				e.base_url ?? null,
				e.fingerprint,
				e.storage,
				e.timestamp,
				e.timestamp,
				e.metadata.actor.id,
			);
		},
		key_updated: (context, e) => {
			context.run(
				`UPDATE provider_keys SET base_url = ?, fingerprint = ?, storage = ?, updated_at = ?
				WHERE provider = ?`,
				e.base_url ?? null,
				e.fingerprint,
				e.storage,
				e.timestamp,
				e.provider,
			);
		},
		key_removed: (context, e) => {
			context.run('DELETE FROM provider_keys WHERE provider = ?', e.provider);
		},
	},
});
