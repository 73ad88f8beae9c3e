import { defineProjection } from './defineProjection.js';
import { jsonColumn } from './json.js';

const INSERT = `INSERT INTO checkpoints (checkpoint_id, project_key, callsign, mission_id, sortie_id, "trigger",
	summary, context, tokens_before, tokens_after, created_at, restore_count)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (checkpoint_id) DO NOTHING`;

/** Checkpoints: created by hand, automatically, or by a context compaction; restored and deleted. */
export const checkpointsProjection = defineProjection({
	name: 'checkpoints',
	tables: ['checkpoints'],
	handlers: {
		checkpoint_created: (context, e) => {
			context.run(
				INSERT,
				e.checkpoint_id,
				e.project_key,
				e.callsign,
				e.mission_id,
				e.sortie_id,
				e.trigger,
				e.summary,
				jsonColumn(e.context),
				null,
				null,
				e.timestamp,
			);
		},
		context_compacted: (context, e) => {
			context.run(
				INSERT,
				e.checkpoint_id,
				e.project_key,
				e.callsign,
				null,
				null,
				'compaction',
				e.summary,
				jsonColumn(e.context),
				e.tokens_before,
				e.tokens_after,
				e.timestamp,
			);
		},
		checkpoint_restored: (context, e) => {
			context.run(
				`UPDATE checkpoints SET restore_count = restore_count + 1, last_restored_at = ?
				WHERE checkpoint_id = ? AND deleted_at IS NULL`,
				e.timestamp,
				e.checkpoint_id,
			);
		},
		checkpoint_deleted: (context, e) => {
			context.run(
				`UPDATE checkpoints SET deleted_at = COALESCE(deleted_at, ?) WHERE checkpoint_id = ?`,
				e.timestamp,
				e.checkpoint_id,
			);
		},
	},
});
