import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection: message threads. */
export const threads = sqliteTable('threads', {
	threadId: text('thread_id').primaryKey(),
	projectKey: text('project_key').notNull(),
	subject: text('subject').notNull(),
	createdBy: text('created_by').notNull(),
	createdAt: text('created_at').notNull(),
	messageCount: integer('message_count').notNull(),
	lastMessageAt: text('last_message_at'),
});

/** Projection: messages between pilots. */
export const messages = sqliteTable(
	'messages',
	{
		messageId: text('message_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		threadId: text('thread_id'),
		fromCallsign: text('from_callsign').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		/** low | normal | high | urgent */
		importance: text('importance').notNull(),
		ackRequired: integer('ack_required', { mode: 'boolean' }).notNull(),
		sentAt: text('sent_at').notNull(),
		deletedAt: text('deleted_at'),
	},
	(table) => [
		index('messages_project_sent_idx').on(table.projectKey, table.sentAt),
		index('messages_thread_idx').on(table.threadId, table.sentAt),
	],
);

/** Projection: one row per message and recipient, with read and acknowledgement times. */
export const messageRecipients = sqliteTable(
	'message_recipients',
	{
		messageId: text('message_id').notNull(),
		callsign: text('callsign').notNull(),
		readAt: text('read_at'),
		ackedAt: text('acked_at'),
	},
	(table) => [
		primaryKey({ columns: [table.messageId, table.callsign] }),
		index('message_recipients_inbox_idx').on(table.callsign, table.readAt),
	],
);
