import { defineProjection } from './defineProjection.js';
import { checkedExpiry, jsonColumn } from './json.js';

/**
 * Advisory file reservations. Conflicts are reported, not refused (see
 * `reserveFiles`); `file_conflict` events stay in the log as the record.
 */
export const reservationsProjection = defineProjection({
	name: 'reservations',
	tables: ['reservations'],
	handlers: {
		file_reserved: (context, e) => {
			context.run(
				`INSERT INTO reservations (reservation_id, project_key, holder, paths, exclusive, reason,
					created_at, expires_at, renew_count)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (reservation_id) DO NOTHING`,
				e.reservation_id,
				e.project_key,
				e.holder,
				jsonColumn(e.paths),
				e.exclusive,
				e.reason,
				e.timestamp,
				checkedExpiry(e),
			);
		},
		file_released: (context, e) => {
			context.run(
				`UPDATE reservations SET released_at = COALESCE(released_at, ?) WHERE reservation_id = ?`,
				e.timestamp,
				e.reservation_id,
			);
		},
		file_reservation_renewed: (context, e) => {
			context.run(
				`UPDATE reservations SET expires_at = ?, renew_count = renew_count + 1
				WHERE reservation_id = ? AND released_at IS NULL`,
				checkedExpiry(e),
				e.reservation_id,
			);
		},
	},
});
