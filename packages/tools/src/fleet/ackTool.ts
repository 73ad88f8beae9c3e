import { NotFoundError, nowIso } from '@agentspace/core';
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
} from './fleetCommon.js';

/** The most messages one ack covers. */
export const MAX_ACK_MESSAGES = 100;

interface AckArgs extends FleetArgs {
	readonly message_ids: readonly string[];
}

const RECEIVED = `SELECT r.acked_at FROM message_recipients r JOIN messages m ON m.message_id = r.message_id
WHERE r.message_id = ? AND r.callsign = ? AND m.project_key = ? AND m.deleted_at IS NULL`;

/** `fleet/ack`: marks messages sent to the pilot as read and acknowledged (all or none). */
export function ackTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'ack',
		title: 'Acknowledge messages',
		description:
			'Acknowledge messages sent to you: they are read and handled, and leave your unread inbox. Every id must be a message sent to you in the project, or nothing is acknowledged. Acknowledging twice changes nothing.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				message_ids: {
					type: 'array',
					items: IDENTIFIER_SCHEMA,
					minItems: 1,
					maxItems: MAX_ACK_MESSAGES,
					uniqueItems: true,
				},
			},
			required: ['callsign', 'message_ids'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				acknowledged: { type: 'array', items: { type: 'string' } },
				already_acknowledged: { type: 'array', items: { type: 'string' } },
			},
			required: ['acknowledged', 'already_acknowledged'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
		async call(raw, context) {
			const args = raw as unknown as AckArgs;
			const callsign = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const actor = callerActor(context.caller);
			return withImmediateTransaction(options.db, (tx) => {
				const received = prepared(tx.$client, RECEIVED);
				const fresh: string[] = [];
				const already: string[] = [];
				const unknown: string[] = [];
				for (const id of args.message_ids) {
					const row = received.get(id, callsign, project) as
						| { acked_at: string | null }
						| undefined;
					if (row === undefined) unknown.push(id);
					else if (row.acked_at === null) fresh.push(id);
					else already.push(id);
				}
				if (unknown.length > 0) {
					throw new NotFoundError(
						`not messages sent to ${callsign} in project ${JSON.stringify(project)}: ${unknown.join(', ')}; nothing was acknowledged`,
						{ hint: 'fleet__inbox lists the messages sent to you and their ids' },
					);
				}
				const timestamp = nowIso();
				for (const message_id of fresh) {
					appendToStream(tx, [
						createEvent('message_acknowledged', {
							project_key: project,
							timestamp,
							metadata: { actor },
							message_id,
							callsign,
						}),
					]);
				}
				return jsonResult({ acknowledged: fresh, already_acknowledged: already });
			});
		},
	};
}
