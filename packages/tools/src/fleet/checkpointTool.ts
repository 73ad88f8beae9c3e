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
	refuseArgs,
	TIME_SCHEMA,
} from './fleetCommon.js';

/** The longest checkpoint summary, in characters. */
export const MAX_CHECKPOINT_SUMMARY = 8000;
/** The most checkpoints one pilot saves in a project in a minute (each is up to 24 KB kept for ever). */
export const MAX_CHECKPOINTS_PER_MINUTE = 30;
const SAVED_SINCE = `SELECT count(*) AS n FROM checkpoints
WHERE project_key = ? AND callsign = ? AND created_at > ?`;
/** The largest checkpoint context, in characters of its JSON. */
export const MAX_CHECKPOINT_CONTEXT = 16_384;

/** A JSON value, as the router's argument check lets through (the events accept any). */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface CheckpointArgs extends FleetArgs {
	readonly summary: string;
	readonly context?: { [key: string]: JsonValue };
	readonly sortie_id?: string;
}

/** `fleet/checkpoint`: what the pilot needs to pick its work up again (after a restart, a compaction). */
export function checkpointTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'checkpoint',
		title: 'Save a checkpoint',
		description: `Save a checkpoint: a summary of where your work stands and a small JSON context (≤ ${MAX_CHECKPOINT_CONTEXT} characters), optionally for a sortie, so you (or a successor with your callsign) can pick it up again with fleet__checkpoints.`,
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				summary: { type: 'string', minLength: 1, maxLength: MAX_CHECKPOINT_SUMMARY },
				context: { type: 'object', description: 'Any JSON object: files, next steps, ids.' },
				sortie_id: { ...IDENTIFIER_SCHEMA, description: 'The sortie this checkpoint is about.' },
			},
			required: ['callsign', 'summary'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				checkpoint_id: { type: 'string' },
				project: { type: 'string' },
				callsign: { type: 'string' },
				created_at: TIME_SCHEMA,
			},
			required: ['checkpoint_id', 'project', 'callsign', 'created_at'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
		async call(raw, context) {
			const args = raw as unknown as CheckpointArgs;
			const callsign = actingPilot(context.caller, args);
			const json = JSON.stringify(args.context ?? {});
			if (json.length > MAX_CHECKPOINT_CONTEXT)
				refuseArgs('checkpoint', [
					{
						path: '/context',
						message: `must be at most ${MAX_CHECKPOINT_CONTEXT} characters as JSON (is ${json.length})`,
					},
				]);
			const project = projectOf(options, args);
			const checkpoint_id = generateId('ckpt');
			const created_at = nowIso();
			withImmediateTransaction(options.db, (tx) => {
				const minuteAgo = new Date(Date.parse(created_at) - 60_000).toISOString();
				const saved = prepared(tx.$client, SAVED_SINCE).get(project, callsign, minuteAgo) as {
					n: number;
				};
				if (saved.n >= MAX_CHECKPOINTS_PER_MINUTE)
					throw new ConflictError(
						`${callsign} saved ${saved.n} checkpoints in ${project} in the last minute (at most ${MAX_CHECKPOINTS_PER_MINUTE}): not saved`,
						{ hint: 'wait a minute; a checkpoint is for a point worth coming back to' },
					);
				appendToStream(
					tx,
					[
						createEvent('checkpoint_created', {
							project_key: project,
							timestamp: created_at,
							metadata: { actor: callerActor(context.caller) },
							checkpoint_id,
							callsign,
							summary: args.summary,
							context: args.context ?? {},
							trigger: 'manual',
							...(args.sortie_id === undefined ? {} : { sortie_id: args.sortie_id }),
						}),
					],
					{ expectedVersion: 'no_stream' },
				);
			});
			return jsonResult({ checkpoint_id, project, callsign, created_at });
		},
	};
}
