import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Projection: advisory file reservations. Expiry is never written: a
 * reservation counts while `released_at` is null and `expires_at` is in the
 * future at the time of the question, so a rebuild gives the same rows.
 */
export const reservations = sqliteTable(
	'reservations',
	{
		reservationId: text('reservation_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		holder: text('holder').notNull(),
		/** JSON array of globs relative to the project. */
		paths: text('paths').notNull(),
		exclusive: integer('exclusive', { mode: 'boolean' }).notNull(),
		reason: text('reason'),
		createdAt: text('created_at').notNull(),
		expiresAt: text('expires_at').notNull(),
		releasedAt: text('released_at'),
		renewCount: integer('renew_count').notNull(),
	},
	(table) => [
		index('reservations_active_idx').on(table.projectKey, table.releasedAt, table.expiresAt),
	],
);

/** Projection: exclusive locks on named resources, one holder at a time, each with a TTL. */
export const locks = sqliteTable(
	'locks',
	{
		projectKey: text('project_key').notNull(),
		resource: text('resource').notNull(),
		lockId: text('lock_id').notNull(),
		holder: text('holder').notNull(),
		acquiredAt: text('acquired_at').notNull(),
		expiresAt: text('expires_at').notNull(),
	},
	(table) => [primaryKey({ columns: [table.projectKey, table.resource] })],
);

/** Projection: named read positions (a pilot's place in an inbox, a stream, a log). */
export const cursors = sqliteTable(
	'cursors',
	{
		projectKey: text('project_key').notNull(),
		cursorId: text('cursor_id').notNull(),
		owner: text('owner'),
		streamId: text('stream_id'),
		position: integer('position').notNull(),
		updatedAt: text('updated_at').notNull(),
	},
	(table) => [primaryKey({ columns: [table.projectKey, table.cursorId] })],
);
