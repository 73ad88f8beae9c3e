import { defineProjection } from './defineProjection.js';

/** Threads, messages and one row per recipient with read and acknowledgement times. */
export const messagesProjection = defineProjection({
	name: 'messages',
	tables: ['threads', 'messages', 'message_recipients'],
	handlers: {
		thread_created: (context, e) => {
			context.run(
				`INSERT INTO threads (thread_id, project_key, subject, created_by, created_at, message_count)
				VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (thread_id) DO NOTHING`,
				e.thread_id,
				e.project_key,
				e.subject,
				e.created_by,
				e.timestamp,
			);
		},
		message_sent: (context, e) => {
			const inserted = context.run(
				`INSERT INTO messages (message_id, project_key, thread_id, from_callsign, subject, body,
					importance, ack_required, sent_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
				e.message_id,
				e.project_key,
				e.thread_id,
				e.from,
				e.subject,
				e.body,
				e.importance,
				e.ack_required,
				e.timestamp,
			);
			if (inserted === 0) return;
			for (const callsign of e.to) {
				context.run(
					`INSERT INTO message_recipients (message_id, callsign) VALUES (?, ?)
					ON CONFLICT DO NOTHING`,
					e.message_id,
					callsign,
				);
			}
			if (e.thread_id !== undefined) {
				// A reply may name a thread nobody created explicitly; the first message opens it.
				context.run(
					`INSERT INTO threads (thread_id, project_key, subject, created_by, created_at,
						message_count, last_message_at)
					VALUES (?, ?, ?, ?, ?, 1, ?)
					ON CONFLICT (thread_id) DO UPDATE SET message_count = message_count + 1,
						last_message_at = excluded.last_message_at`,
					e.thread_id,
					e.project_key,
					e.subject,
					e.from,
					e.timestamp,
					e.timestamp,
				);
			}
		},
		message_read: (context, e) => {
			context.run(
				`UPDATE message_recipients SET read_at = COALESCE(read_at, ?)
				WHERE message_id = ? AND callsign = ?`,
				e.timestamp,
				e.message_id,
				e.callsign,
			);
		},
		message_acknowledged: (context, e) => {
			context.run(
				`UPDATE message_recipients SET read_at = COALESCE(read_at, ?), acked_at = COALESCE(acked_at, ?)
				WHERE message_id = ? AND callsign = ?`,
				e.timestamp,
				e.timestamp,
				e.message_id,
				e.callsign,
			);
		},
		message_deleted: (context, e) => {
			context.run(
				`UPDATE messages SET deleted_at = COALESCE(deleted_at, ?) WHERE message_id = ?`,
				e.timestamp,
				e.message_id,
			);
		},
	},
});
