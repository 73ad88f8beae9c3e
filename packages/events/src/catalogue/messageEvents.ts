import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Identifier, Text, Title } from './fields.js';

const messageStream = ({ message_id }: { message_id: string }) => `message:${message_id}`;

/** How urgent a message is. */
export const Importance = z.enum(['low', 'normal', 'high', 'urgent']);

/**
 * Messages between pilots. `message_sent` is at version 2: version 1 had a
 * single recipient (`to: string`) and `urgent: boolean` instead of `importance`;
 * stored version-1 events are upcast on read.
 */
export const MESSAGE_EVENTS = [
	defineEvent(
		'message_sent',
		{
			message_id: Identifier,
			from: Callsign,
			to: z.array(Callsign).min(1).max(256),
			subject: Title,
			body: Text,
			thread_id: Identifier.optional(),
			importance: Importance.default('normal'),
			ack_required: z.boolean().default(false),
		},
		messageStream,
		{ version: 2 },
	),
	defineEvent('message_read', { message_id: Identifier, callsign: Callsign }, messageStream),
	defineEvent(
		'message_acknowledged',
		{ message_id: Identifier, callsign: Callsign },
		messageStream,
	),
	defineEvent(
		'message_deleted',
		{ message_id: Identifier, deleted_by: Callsign.optional() },
		messageStream,
	),
	defineEvent(
		'thread_created',
		{ thread_id: Identifier, subject: Title, created_by: Callsign },
		({ thread_id }) => `thread:${thread_id}`,
	),
] as const;
