import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection: pilots (agent sessions taking part in coordinated work), by project and callsign. */
export const pilots = sqliteTable(
	'pilots',
	{
		projectKey: text('project_key').notNull(),
		callsign: text('callsign').notNull(),
		program: text('program'),
		model: text('model'),
		taskDescription: text('task_description'),
		/** registered | active | deregistered | terminated */
		status: text('status').notNull(),
		spawnedBy: text('spawned_by'),
		registeredAt: text('registered_at').notNull(),
		lastActiveAt: text('last_active_at').notNull(),
		endedAt: text('ended_at'),
		endReason: text('end_reason'),
	},
	(table) => [primaryKey({ columns: [table.projectKey, table.callsign] })],
);
