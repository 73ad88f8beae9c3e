import { prepared } from '@agentspace/db';
import type { BuiltinTool } from '../router/builtinTools.js';
import {
	actingPilot,
	CALLSIGN_SCHEMA,
	type FleetArgs,
	type FleetToolsOptions,
	IDENTIFIER_SCHEMA,
	jsonResult,
	PROJECT_SCHEMA,
	projectOf,
} from './fleetCommon.js';
import { MESSAGE_OUTPUT_SCHEMA, type MessageRow, messagesOf } from './messageRows.js';

/** The most messages one inbox answer holds. */
export const MAX_INBOX_MESSAGES = 50;
/** How much of each body an inbox answer shows (fleet__read_message has the whole). */
export const INBOX_BODY_CHARS = 2000;

interface InboxArgs extends FleetArgs {
	readonly unread_only?: boolean;
	readonly thread_id?: string;
	readonly limit?: number;
}

const MINE = `FROM message_recipients r JOIN messages m ON m.message_id = r.message_id
WHERE r.callsign = @callsign AND m.project_key = @project AND m.deleted_at IS NULL`;
const COLUMNS = `m.message_id, m.thread_id, m.from_callsign, m.subject, m.body, m.importance,
	m.ack_required, m.sent_at, r.read_at, r.acked_at`;
const IN_THREAD = '(@thread IS NULL OR m.thread_id = @thread)';
// Unread: the oldest first, so a pilot working through them misses none.
const UNREAD_PAGE = `SELECT ${COLUMNS} ${MINE} AND r.read_at IS NULL AND ${IN_THREAD}
ORDER BY m.sent_at, m.message_id LIMIT @limit`;
// Everything: the most recent ones, shown oldest first.
const RECENT_PAGE = `SELECT * FROM (SELECT ${COLUMNS} ${MINE} AND ${IN_THREAD}
	ORDER BY m.sent_at DESC, m.message_id DESC LIMIT @limit)
ORDER BY sent_at, message_id`;
const UNREAD_COUNT = `SELECT count(*) AS n ${MINE} AND r.read_at IS NULL`;

/** `fleet/inbox`: the messages sent to the pilot (read-only: fleet__ack marks them handled). */
export function inboxTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'inbox',
		title: 'Read your inbox',
		description: `Messages sent to you in the project. By default the unread ones (not yet acknowledged with fleet__ack), oldest first; with unread_only false, the most recent ones. Bodies are cut at ${INBOX_BODY_CHARS} characters (body_truncated): fleet__read_message shows one whole.`,
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				unread_only: { type: 'boolean', default: true },
				thread_id: IDENTIFIER_SCHEMA,
				limit: { type: 'integer', minimum: 1, maximum: MAX_INBOX_MESSAGES, default: 20 },
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				callsign: { type: 'string' },
				project: { type: 'string' },
				unread: { type: 'integer' },
				messages: { type: 'array', items: MESSAGE_OUTPUT_SCHEMA },
				more: { type: 'boolean' },
			},
			required: ['callsign', 'project', 'unread', 'messages', 'more'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as InboxArgs;
			const callsign = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const limit = args.limit ?? 20;
			const client = options.db.$client;
			// One read transaction: the count and the page agree.
			return client.transaction(() => {
				const rows = prepared(client, args.unread_only === false ? RECENT_PAGE : UNREAD_PAGE).all({
					callsign,
					project,
					thread: args.thread_id ?? null,
					limit: limit + 1,
				}) as MessageRow[];
				const unread = prepared(client, UNREAD_COUNT).get({ callsign, project }) as { n: number };
				return jsonResult({
					callsign,
					project,
					unread: unread.n,
					messages: messagesOf(client, rows.slice(0, limit), INBOX_BODY_CHARS),
					more: rows.length > limit,
				});
			})();
		},
	};
}
