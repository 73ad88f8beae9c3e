import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection: context checkpoints a pilot can restore after a restart or a compaction. */
export const checkpoints = sqliteTable(
	'checkpoints',
	{
		checkpointId: text('checkpoint_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		callsign: text('callsign').notNull(),
		missionId: text('mission_id'),
		sortieId: text('sortie_id'),
		/** manual | auto | compaction */
		trigger: text('trigger').notNull(),
		summary: text('summary').notNull(),
		/** JSON object: whatever the pilot needs to pick up again. */
		context: text('context').notNull(),
		tokensBefore: integer('tokens_before'),
		tokensAfter: integer('tokens_after'),
		createdAt: text('created_at').notNull(),
		restoreCount: integer('restore_count').notNull(),
		lastRestoredAt: text('last_restored_at'),
		deletedAt: text('deleted_at'),
	},
	(table) => [index('checkpoints_pilot_idx').on(table.projectKey, table.callsign, table.createdAt)],
);
