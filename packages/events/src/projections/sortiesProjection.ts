import { defineProjection } from './defineProjection.js';
import { jsonColumn } from './json.js';

/** Sort order of priorities: critical first. */
export const PRIORITY_RANK = { critical: 0, high: 1, normal: 2, low: 3 } as const;

/** Sorties, their dependencies, and their progress. */
export const sortiesProjection = defineProjection({
	name: 'sorties',
	tables: ['sorties', 'sortie_dependencies'],
	handlers: {
		sortie_created: (context, e) => {
			const inserted = context.run(
				`INSERT INTO sorties (sortie_id, project_key, mission_id, title, description, priority,
					priority_rank, status, files, progress_percent, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, 0, ?, ?) ON CONFLICT (sortie_id) DO NOTHING`,
				e.sortie_id,
				e.project_key,
				e.mission_id,
				e.title,
				e.description,
				e.priority,
				PRIORITY_RANK[e.priority],
				jsonColumn(e.files),
				e.timestamp,
				e.timestamp,
			);
			if (inserted === 0) return;
			for (const blocker of e.depends_on) {
				context.run(
					`INSERT INTO sortie_dependencies (sortie_id, depends_on) VALUES (?, ?) ON CONFLICT DO NOTHING`,
					e.sortie_id,
					blocker,
				);
			}
		},
		sortie_assigned: (context, e) => {
			context.run(
				`UPDATE sorties SET assignee = ?, status = CASE WHEN status = 'open' THEN 'assigned' ELSE status END,
					updated_at = ?
				WHERE sortie_id = ? AND status != 'completed'`,
				e.assignee,
				e.timestamp,
				e.sortie_id,
			);
		},
		sortie_started: (context, e) => {
			context.run(
				`UPDATE sorties SET status = 'in_progress', assignee = COALESCE(assignee, ?),
					started_at = COALESCE(started_at, ?), updated_at = ?
				WHERE sortie_id = ? AND status IN ('open', 'assigned')`,
				e.callsign,
				e.timestamp,
				e.timestamp,
				e.sortie_id,
			);
		},
		sortie_progress: (context, e) => {
			context.run(
				`UPDATE sorties SET progress_percent = ?, progress_note = ?, updated_at = ?
				WHERE sortie_id = ? AND status != 'completed'`,
				e.percent,
				e.note,
				e.timestamp,
				e.sortie_id,
			);
		},
		sortie_blocked: (context, e) => {
			context.run(
				`UPDATE sorties SET status = 'blocked', blocked_reason = ?, updated_at = ?
				WHERE sortie_id = ? AND status != 'completed'`,
				e.reason,
				e.timestamp,
				e.sortie_id,
			);
		},
		sortie_resumed: (context, e) => {
			// Back to where it was before it was blocked.
			context.run(
				`UPDATE sorties SET blocked_reason = NULL, updated_at = ?,
					status = CASE WHEN started_at IS NOT NULL THEN 'in_progress'
						WHEN assignee IS NOT NULL THEN 'assigned' ELSE 'open' END
				WHERE sortie_id = ? AND status = 'blocked'`,
				e.timestamp,
				e.sortie_id,
			);
		},
		sortie_completed: (context, e) => {
			context.run(
				`UPDATE sorties SET status = 'completed', outcome = ?, progress_note = COALESCE(?, progress_note),
					progress_percent = CASE WHEN ? = 'succeeded' THEN 100 ELSE progress_percent END,
					blocked_reason = NULL, completed_at = ?, updated_at = ?
				WHERE sortie_id = ? AND status != 'completed'`,
				e.outcome,
				e.summary,
				e.outcome,
				e.timestamp,
				e.timestamp,
				e.sortie_id,
			);
		},
	},
});
