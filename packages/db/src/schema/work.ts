import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection: missions, large pieces of work made of sorties. */
export const missions = sqliteTable(
	'missions',
	{
		missionId: text('mission_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		title: text('title').notNull(),
		description: text('description'),
		/** pending | in_progress | completed */
		status: text('status').notNull(),
		priority: text('priority').notNull(),
		createdAt: text('created_at').notNull(),
		startedAt: text('started_at'),
		completedAt: text('completed_at'),
		summary: text('summary'),
		updatedAt: text('updated_at').notNull(),
	},
	(table) => [index('missions_project_status_idx').on(table.projectKey, table.status)],
);

/** Projection: sorties, single pieces of work, optionally inside a mission. */
export const sorties = sqliteTable(
	'sorties',
	{
		sortieId: text('sortie_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		missionId: text('mission_id'),
		title: text('title').notNull(),
		description: text('description'),
		/** low | normal | high | critical */
		priority: text('priority').notNull(),
		/** 0 (critical) … 3 (low): sorts ready work without a CASE. */
		priorityRank: integer('priority_rank').notNull(),
		/** open | assigned | in_progress | blocked | completed */
		status: text('status').notNull(),
		assignee: text('assignee'),
		/** JSON array of globs the sortie expects to touch. */
		files: text('files').notNull(),
		progressPercent: integer('progress_percent').notNull(),
		progressNote: text('progress_note'),
		blockedReason: text('blocked_reason'),
		outcome: text('outcome'),
		createdAt: text('created_at').notNull(),
		startedAt: text('started_at'),
		completedAt: text('completed_at'),
		updatedAt: text('updated_at').notNull(),
	},
	(table) => [
		index('sorties_ready_idx').on(
			table.projectKey,
			table.status,
			table.priorityRank,
			table.createdAt,
		),
		index('sorties_mission_idx').on(table.missionId),
	],
);

/** Projection: "sortie X cannot start before sortie Y is completed". */
export const sortieDependencies = sqliteTable(
	'sortie_dependencies',
	{
		sortieId: text('sortie_id').notNull(),
		dependsOn: text('depends_on').notNull(),
	},
	(table) => [
		primaryKey({ columns: [table.sortieId, table.dependsOn] }),
		index('sortie_dependencies_depends_on_idx').on(table.dependsOn),
	],
);

/** Projection: work orders, the small tasks inside a sortie. */
export const workOrders = sqliteTable(
	'work_orders',
	{
		workOrderId: text('work_order_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		sortieId: text('sortie_id'),
		title: text('title').notNull(),
		description: text('description'),
		/** pending | in_progress | blocked | completed | cancelled */
		status: text('status').notNull(),
		assignee: text('assignee'),
		result: text('result'),
		createdAt: text('created_at').notNull(),
		completedAt: text('completed_at'),
		updatedAt: text('updated_at').notNull(),
	},
	(table) => [index('work_orders_sortie_idx').on(table.sortieId)],
);
