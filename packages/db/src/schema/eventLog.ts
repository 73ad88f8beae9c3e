import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The event log: append-only (triggers reject UPDATE and DELETE). `sequence` is
 * the rowid, so the global position is gap-free and in commit order (writers
 * are serialised by `BEGIN IMMEDIATE`). The envelope is in columns so every
 * filter has an index; the payload is the JSON in `data`.
 */
export const events = sqliteTable(
	'events',
	{
		/** Global position: 1, 2, 3… in commit order. */
		sequence: integer('sequence').primaryKey(),
		/** `evt_…`; appending an id that is already stored is a no-op. */
		id: text('id').notNull(),
		type: text('type').notNull(),
		projectKey: text('project_key').notNull(),
		streamId: text('stream_id').notNull(),
		/** 1, 2, 3… within the stream. */
		streamVersion: integer('stream_version').notNull(),
		/** ISO 8601 UTC with milliseconds, so text order is time order. */
		timestamp: text('timestamp').notNull(),
		/** Version of the payload's shape; older ones are upcast on read. */
		schemaVersion: integer('schema_version').notNull(),
		actorType: text('actor_type').notNull(),
		actorId: text('actor_id').notNull(),
		correlationId: text('correlation_id'),
		causationId: text('causation_id'),
		/** The payload fields as JSON. */
		data: text('data').notNull(),
	},
	(table) => [
		uniqueIndex('events_id_unique').on(table.id),
		uniqueIndex('events_stream_version_unique').on(table.streamId, table.streamVersion),
		index('events_project_sequence_idx').on(table.projectKey, table.sequence),
		index('events_project_type_sequence_idx').on(table.projectKey, table.type, table.sequence),
		index('events_project_timestamp_idx').on(table.projectKey, table.timestamp),
		index('events_type_sequence_idx').on(table.type, table.sequence),
		index('events_timestamp_idx').on(table.timestamp),
	],
);

/** A row of `events` as stored. */
export type EventRow = typeof events.$inferSelect;

/** Where each checkpointed consumer has got to in the event log. */
export const eventConsumers = sqliteTable('event_consumers', {
	name: text('name').primaryKey(),
	/** The sequence of the last event the consumer handled (0: none yet). */
	position: integer('position').notNull(),
	updatedAt: text('updated_at').notNull(),
});

/** A row of `event_consumers`. */
export type EventConsumerRow = typeof eventConsumers.$inferSelect;
