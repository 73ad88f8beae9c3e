import { defineProjection } from './defineProjection.js';

/**
 * The secrets projection: `secrets`, one row per secret in the vault — its
 * fingerprint and where it is stored, never the value. Setting one again
 * replaces its row.
 */
export const secretsProjection = defineProjection({
	name: 'secrets',
	tables: ['secrets'],
	handlers: {
		secret_set: (context, e) => {
			context.run(
				`INSERT INTO secrets (name, fingerprint, storage, set_at, set_by) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint,
				storage = excluded.storage, set_at = excluded.set_at, set_by = excluded.set_by`,
				e.name,
				e.fingerprint,
				e.storage,
				e.timestamp,
				e.metadata.actor.id,
			);
		},
		secret_removed: (context, e) => {
			context.run('DELETE FROM secrets WHERE name = ?', e.name);
		},
	},
});
