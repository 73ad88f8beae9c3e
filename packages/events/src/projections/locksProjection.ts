import { ConflictError } from '@agentspace/core';
import { defineProjection } from './defineProjection.js';
import { checkedExpiry } from './json.js';

interface LockRow {
	readonly lock_id: string;
	readonly holder: string;
	readonly expires_at: string;
}

const CURRENT = `SELECT lock_id, holder, expires_at FROM locks WHERE project_key = ? AND resource = ?`;

/**
 * Exclusive locks with a TTL. The check runs inside the append transaction,
 * so two pilots racing for one lock cannot both win: the second append is
 * refused and writes nothing. Expiry is judged at the event's own time, so a
 * rebuild reaches the same answer.
 */
export const locksProjection = defineProjection({
	name: 'locks',
	tables: ['locks'],
	handlers: {
		lock_acquired: (context, e) => {
			const held = context.get<LockRow>(CURRENT, e.project_key, e.resource);
			if (held !== undefined && held.holder !== e.holder && held.expires_at > e.timestamp) {
				throw new ConflictError(
					`lock "${e.resource}" is held by ${held.holder} until ${held.expires_at}`,
					{ hint: 'wait for the holder to release it or for it to expire, then try again' },
				);
			}
			context.run(
				`INSERT INTO locks (project_key, resource, lock_id, holder, acquired_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (project_key, resource) DO UPDATE SET lock_id = excluded.lock_id,
					holder = excluded.holder, acquired_at = excluded.acquired_at,
					expires_at = excluded.expires_at`,
				e.project_key,
				e.resource,
				e.lock_id,
				e.holder,
				e.timestamp,
				checkedExpiry(e),
			);
		},
		lock_released: (context, e) => {
			const held = context.get<LockRow>(CURRENT, e.project_key, e.resource);
			if (held === undefined) return;
			if (held.holder !== e.holder && held.expires_at > e.timestamp) {
				throw new ConflictError(`lock "${e.resource}" is held by ${held.holder}, not ${e.holder}`, {
					hint: 'only the holder can release a lock before it expires',
				});
			}
			context.run(
				`DELETE FROM locks WHERE project_key = ? AND resource = ?`,
				e.project_key,
				e.resource,
			);
		},
	},
});
