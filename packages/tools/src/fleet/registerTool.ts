import { nowIso } from '@agentspace/core';
import { withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import type { BuiltinTool } from '../router/builtinTools.js';
import { callerActor } from './callerActor.js';
import {
	actingPilot,
	CALLSIGN_SCHEMA,
	type FleetArgs,
	type FleetToolsOptions,
	jsonResult,
	PROJECT_SCHEMA,
	projectOf,
	TIME_SCHEMA,
} from './fleetCommon.js';

interface RegisterArgs extends FleetArgs {
	readonly program?: string;
	readonly model?: string;
	readonly task_description?: string;
}

/** `fleet/register`: joins the project's fleet under a callsign (again: refreshes the profile). */
export function registerTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'register',
		title: 'Join the fleet',
		description:
			'Register as a pilot of the project under a callsign, so other pilots can find you (fleet__pilots) and message you. Registering again updates your program, model and task.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				program: {
					type: 'string',
					minLength: 1,
					maxLength: 128,
					description: 'What you are, e.g. "claude-code".',
				},
				model: { type: 'string', minLength: 1, maxLength: 128 },
				task_description: {
					type: 'string',
					maxLength: 2000,
					description: 'What you are working on, in a sentence or two.',
				},
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				callsign: { type: 'string' },
				project: { type: 'string' },
				status: { type: 'string' },
				registered_at: TIME_SCHEMA,
			},
			required: ['callsign', 'project', 'status', 'registered_at'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
		async call(raw, context) {
			const args = raw as unknown as RegisterArgs;
			const callsign = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const timestamp = nowIso();
			withImmediateTransaction(options.db, (tx) =>
				appendToStream(tx, [
					createEvent('pilot_registered', {
						project_key: project,
						timestamp,
						metadata: { actor: callerActor(context.caller) },
						callsign,
						...(args.program === undefined ? {} : { program: args.program }),
						...(args.model === undefined ? {} : { model: args.model }),
						...(args.task_description === undefined
							? {}
							: { task_description: args.task_description }),
					}),
				]),
			);
			return jsonResult({ callsign, project, status: 'registered', registered_at: timestamp });
		},
	};
}
