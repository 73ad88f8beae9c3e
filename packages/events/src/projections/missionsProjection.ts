import { defineProjection } from './defineProjection.js';

/** Missions and their status. */
export const missionsProjection = defineProjection({
	name: 'missions',
	tables: ['missions'],
	handlers: {
		mission_created: (context, e) => {
			context.run(
				`INSERT INTO missions (mission_id, project_key, title, description, status, priority,
					created_at, updated_at)
				VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (mission_id) DO NOTHING`,
				e.mission_id,
				e.project_key,
				e.title,
				e.description,
				e.priority,
				e.timestamp,
				e.timestamp,
			);
		},
		mission_started: (context, e) => {
			context.run(
				`UPDATE missions SET status = 'in_progress', started_at = COALESCE(started_at, ?),
					updated_at = ?
				WHERE mission_id = ? AND status = 'pending'`,
				e.timestamp,
				e.timestamp,
				e.mission_id,
			);
		},
		mission_completed: (context, e) => {
			context.run(
				`UPDATE missions SET status = 'completed', completed_at = ?, summary = ?, updated_at = ?
				WHERE mission_id = ? AND status != 'completed'`,
				e.timestamp,
				e.summary,
				e.timestamp,
				e.mission_id,
			);
		},
		mission_updated: (context, e) => {
			context.run(
				`UPDATE missions SET title = COALESCE(?, title), description = COALESCE(?, description),
					priority = COALESCE(?, priority), updated_at = ?
				WHERE mission_id = ?`,
				e.title,
				e.description,
				e.priority,
				e.timestamp,
				e.mission_id,
			);
		},
	},
});
