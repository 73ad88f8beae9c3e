import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The tamper-evident audit log: append-only (triggers reject UPDATE and DELETE),
 * each row hash-chained to the previous one. See `src/audit/auditHash.ts` for the
 * exact content that is hashed.
 */
export const auditLog = sqliteTable(
	'audit_log',
	{
		/** Position in the chain: 1, 2, 3… with no gaps. */
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** ISO 8601 UTC time the action happened. */
		ts: text('ts').notNull(),
		/** What happened, e.g. `mode_changed`, `security.denied`, `agent.build`. */
		eventType: text('event_type').notNull(),
		actorType: text('actor_type').notNull(),
		actorId: text('actor_id'),
		subjectType: text('subject_type'),
		subjectId: text('subject_id'),
		correlationId: text('correlation_id'),
		causationId: text('causation_id'),
		severity: text('severity').notNull(),
		sourceApp: text('source_app'),
		sourceIp: text('source_ip'),
		/** Redacted metadata as canonical JSON (sorted keys), exactly the bytes hashed. */
		metadata: text('metadata').notNull(),
		/** `hash` of the previous row; 64 zeros for the first row. */
		prevHash: text('prev_hash').notNull(),
		/** SHA-256 over this row's canonical content, including `prevHash`. */
		hash: text('hash').notNull().unique(),
	},
	(table) => [
		index('audit_log_event_type_idx').on(table.eventType, table.id),
		index('audit_log_subject_idx').on(table.subjectType, table.subjectId, table.id),
		index('audit_log_ts_idx').on(table.ts),
	],
);

/** A row of `audit_log` as stored. */
export type AuditLogRow = typeof auditLog.$inferSelect;
