import { ConflictError, generateId, nowIso } from '@agentspace/core';
import { prepared, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import type { BuiltinTool } from '../router/builtinTools.js';
import { callerActor } from './callerActor.js';
import {
	actingPilot,
	CALLSIGN_SCHEMA,
	type FleetArgs,
	type FleetToolsOptions,
	IDENTIFIER_SCHEMA,
	jsonResult,
	PROJECT_SCHEMA,
	projectOf,
	TIME_SCHEMA,
} from './fleetCommon.js';

/** The most recipients of one message. */
export const MAX_MESSAGE_RECIPIENTS = 32;
/** The longest message body, in characters. */
export const MAX_MESSAGE_BODY = 16_384;
/** The longest subject, in characters. */
export const MAX_MESSAGE_SUBJECT = 200;

/**
 * The most messages one pilot sends in a project in a minute: a pilot that
 * sends without end would bury every inbox (the oldest unread come first) and
 * grow the event log without bound.
 */
export const MAX_MESSAGES_PER_MINUTE = 60;
const SENT_SINCE = `SELECT count(*) AS n FROM messages
WHERE project_key = ? AND sent_at > ? AND from_callsign = ?`;

interface SendArgs extends FleetArgs {
	readonly to: readonly string[];
	readonly subject: string;
	readonly body: string;
	readonly thread_id?: string;
	readonly importance?: 'low' | 'normal' | 'high' | 'urgent';
	readonly ack_required?: boolean;
}

const REGISTERED = `SELECT 1 FROM pilots WHERE project_key = ? AND callsign = ?
AND status IN ('registered', 'active')`;

/** `fleet/send_message`: a message to other pilots of the project, in their inboxes at once. */
export function sendMessageTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'send_message',
		title: 'Message other pilots',
		description:
			'Send a message to one or more pilots of the project (by callsign); it appears in their fleet__inbox. Reply in a thread by giving its thread_id. The answer names recipients that have not registered (check the spelling with fleet__pilots): the message is kept for them all the same.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				to: {
					type: 'array',
					items: CALLSIGN_SCHEMA,
					minItems: 1,
					maxItems: MAX_MESSAGE_RECIPIENTS,
					uniqueItems: true,
				},
				subject: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_SUBJECT },
				body: { type: 'string', maxLength: MAX_MESSAGE_BODY },
				thread_id: { ...IDENTIFIER_SCHEMA, description: 'The thread this message belongs to.' },
				importance: { enum: ['low', 'normal', 'high', 'urgent'], default: 'normal' },
				ack_required: {
					type: 'boolean',
					default: false,
					description: 'Ask the recipients to acknowledge it (fleet__ack).',
				},
			},
			required: ['callsign', 'to', 'subject', 'body'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				message_id: { type: 'string' },
				project: { type: 'string' },
				to: { type: 'array', items: { type: 'string' } },
				thread_id: { type: ['string', 'null'] },
				sent_at: TIME_SCHEMA,
				unregistered: { type: 'array', items: { type: 'string' } },
			},
			required: ['message_id', 'project', 'to', 'sent_at', 'unregistered'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
		async call(raw, context) {
			const args = raw as unknown as SendArgs;
			const from = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const message_id = generateId('msg');
			const sent_at = nowIso();
			const unregistered = withImmediateTransaction(options.db, (tx) => {
				const minuteAgo = new Date(Date.parse(sent_at) - 60_000).toISOString();
				const sent = prepared(tx.$client, SENT_SINCE).get(project, minuteAgo, from) as {
					n: number;
				};
				if (sent.n >= MAX_MESSAGES_PER_MINUTE)
					throw new ConflictError(
						`${from} sent ${sent.n} messages in ${project} in the last minute (at most ${MAX_MESSAGES_PER_MINUTE}): not sent`,
						{ hint: 'wait a minute, or send one message to several recipients' },
					);
				const registered = prepared(tx.$client, REGISTERED);
				const unknown = args.to.filter((to) => registered.get(project, to) === undefined);
				appendToStream(
					tx,
					[
						createEvent('message_sent', {
							project_key: project,
							timestamp: sent_at,
							metadata: { actor: callerActor(context.caller) },
							message_id,
							from,
							to: [...args.to],
							subject: args.subject,
							body: args.body,
							...(args.thread_id === undefined ? {} : { thread_id: args.thread_id }),
							importance: args.importance ?? 'normal',
							ack_required: args.ack_required ?? false,
						}),
					],
					{ expectedVersion: 'no_stream' },
				);
				return unknown;
			});
			return jsonResult({
				message_id,
				project,
				to: [...args.to],
				thread_id: args.thread_id ?? null,
				sent_at,
				unregistered,
			});
		},
	};
}
