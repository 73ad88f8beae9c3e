import { defineProjection } from './defineProjection.js';

/** Named read positions, one row per project and cursor. */
export const cursorsProjection = defineProjection({
	name: 'cursors',
	tables: ['cursors'],
	handlers: {
		cursor_moved: (context, e) => {
			context.run(
				`INSERT INTO cursors (project_key, cursor_id, owner, stream_id, position, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (project_key, cursor_id) DO UPDATE SET owner = excluded.owner,
					stream_id = excluded.stream_id, position = excluded.position,
					updated_at = excluded.updated_at`,
				e.project_key,
				e.cursor_id,
				e.owner,
				e.target_stream_id,
				e.position,
				e.timestamp,
			);
		},
	},
});
