import { NotFoundError } from '@agentspace/core';
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
import { MAX_MESSAGE_BODY } from './sendMessageTool.js';

interface ReadMessageArgs extends FleetArgs {
	readonly message_id: string;
}

// The recipient's read and ack times are the caller's own; a sender has none.
const ONE = `SELECT m.message_id, m.thread_id, m.from_callsign, m.subject, m.body, m.importance,
	m.ack_required, m.sent_at, r.read_at, r.acked_at
FROM messages m LEFT JOIN message_recipients r ON r.message_id = m.message_id AND r.callsign = @callsign
WHERE m.message_id = @id AND m.project_key = @project AND m.deleted_at IS NULL
	AND (m.from_callsign = @callsign OR r.callsign IS NOT NULL)`;

/** `fleet/read_message`: one message sent to or by the pilot, whole (read-only). */
export function readMessageTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'read_message',
		title: 'Read one message',
		description:
			'One message you sent or received, with its whole body (fleet__inbox cuts long ones). Reading does not acknowledge it: fleet__ack does.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				message_id: IDENTIFIER_SCHEMA,
			},
			required: ['callsign', 'message_id'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: { project: { type: 'string' }, message: MESSAGE_OUTPUT_SCHEMA },
			required: ['project', 'message'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as ReadMessageArgs;
			const callsign = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const client = options.db.$client;
			const row = prepared(client, ONE).get({ callsign, project, id: args.message_id }) as
				| MessageRow
				| undefined;
			if (row === undefined) {
				throw new NotFoundError(
					`no message ${JSON.stringify(args.message_id)} sent to or by ${callsign} in project ${JSON.stringify(project)}`,
					{ hint: 'fleet__inbox lists your messages and their ids' },
				);
			}
			const [message] = messagesOf(client, [row], MAX_MESSAGE_BODY);
			return jsonResult({ project, message: message as Record<string, unknown> });
		},
	};
}
