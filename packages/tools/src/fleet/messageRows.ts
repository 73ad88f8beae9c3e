import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { cut, NULLABLE_STRING, TIME_SCHEMA } from './fleetCommon.js';

/** A message as the inbox and read_message select it (the recipient's columns for the caller). */
export interface MessageRow {
	readonly message_id: string;
	readonly thread_id: string | null;
	readonly from_callsign: string;
	readonly subject: string;
	readonly body: string;
	readonly importance: string;
	readonly ack_required: number;
	readonly sent_at: string;
	readonly read_at: string | null;
	readonly acked_at: string | null;
}

/** One message in a tool's answer. */
export const MESSAGE_OUTPUT_SCHEMA = {
	type: 'object',
	properties: {
		message_id: { type: 'string' },
		thread_id: NULLABLE_STRING,
		from: { type: 'string' },
		to: { type: 'array', items: { type: 'string' } },
		subject: { type: 'string' },
		body: { type: 'string' },
		body_truncated: { type: 'boolean' },
		importance: { type: 'string' },
		ack_required: { type: 'boolean' },
		sent_at: TIME_SCHEMA,
		read_at: NULLABLE_STRING,
		acked_at: NULLABLE_STRING,
	},
	required: ['message_id', 'from', 'to', 'subject', 'body', 'sent_at'],
} as const;

const RECIPIENTS = 'SELECT callsign FROM message_recipients WHERE message_id = ? ORDER BY callsign';

/** The rows as a tool answers them: recipients named (at most 32 each), bodies cut at `bodyChars`. */
export function messagesOf(
	client: AgentSpaceDb['$client'],
	rows: readonly MessageRow[],
	bodyChars: number,
): Record<string, unknown>[] {
	const recipients = prepared(client, RECIPIENTS);
	return rows.map((row) => {
		const body = cut(row.body, bodyChars);
		return {
			message_id: row.message_id,
			thread_id: row.thread_id,
			from: row.from_callsign,
			to: (recipients.all(row.message_id) as { callsign: string }[]).map((r) => r.callsign),
			subject: row.subject,
			body: body.text,
			body_truncated: body.truncated,
			importance: row.importance,
			ack_required: row.ack_required === 1,
			sent_at: row.sent_at,
			read_at: row.read_at,
			acked_at: row.acked_at,
		};
	});
}
