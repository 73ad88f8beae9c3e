import { NotFoundError, nowIso, PermissionDeniedError } from '@agentspace/core';
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

/** The most reservations one call names, or releases when it names none. */
export const MAX_RELEASED = 100;

interface ReleaseArgs extends FleetArgs {
	readonly reservation_ids?: readonly string[];
}

interface HeldRow {
	readonly reservation_id: string;
	readonly holder: string;
	readonly active: number;
}

const ONE = `SELECT reservation_id, holder,
	(released_at IS NULL AND expires_at > @now) AS active
FROM reservations WHERE reservation_id = @id AND project_key = @project`;
const ALL_ACTIVE = `SELECT reservation_id, holder, 1 AS active FROM reservations
WHERE project_key = @project AND holder = @holder AND released_at IS NULL AND expires_at > @now
ORDER BY created_at, reservation_id LIMIT @limit`;

/** `fleet/release_files`: ends the pilot's reservations (named ones, or all of them). */
export function releaseFilesTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'release_files',
		title: 'Release reserved files',
		description: `Release your file reservations: the ones named in reservation_ids, or all your active ones in the project when none is named (at most ${MAX_RELEASED} a call; "more" says when others remain). You cannot release another pilot's reservation. Expired or released ones are listed as not_active.`,
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				reservation_ids: {
					type: 'array',
					items: IDENTIFIER_SCHEMA,
					minItems: 1,
					maxItems: MAX_RELEASED,
					uniqueItems: true,
				},
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				released: { type: 'array', items: { type: 'string' } },
				not_active: { type: 'array', items: { type: 'string' } },
				more: { type: 'boolean' },
			},
			required: ['released', 'not_active', 'more'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
		async call(raw, context) {
			const args = raw as unknown as ReleaseArgs;
			const holder = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const actor = callerActor(context.caller);
			return withImmediateTransaction(options.db, (tx) => {
				const now = nowIso();
				let rows: HeldRow[];
				let more = false;
				if (args.reservation_ids === undefined) {
					rows = prepared(tx.$client, ALL_ACTIVE).all({
						project,
						holder,
						now,
						limit: MAX_RELEASED + 1,
					}) as HeldRow[];
					more = rows.length > MAX_RELEASED;
					rows = rows.slice(0, MAX_RELEASED);
				} else {
					const one = prepared(tx.$client, ONE);
					const found = args.reservation_ids.map((id) => ({
						id,
						row: one.get({ id, project, now }) as HeldRow | undefined,
					}));
					const unknown = found.filter((f) => f.row === undefined).map((f) => f.id);
					if (unknown.length > 0) {
						throw new NotFoundError(
							`no reservation ${unknown.join(', ')} in project ${JSON.stringify(project)}; nothing was released`,
							{ hint: 'fleet__reservations lists the active reservations and their ids' },
						);
					}
					rows = found.map((f) => f.row as HeldRow);
					const others = rows.filter((row) => row.holder !== holder);
					if (others.length > 0) {
						throw new PermissionDeniedError(
							`${others.map((r) => `${r.reservation_id} is held by ${r.holder}`).join(', ')}, not ${holder}; nothing was released`,
							{
								hint: 'only its holder releases a reservation: message them (fleet__send_message)',
							},
						);
					}
				}
				const released: string[] = [];
				const notActive: string[] = [];
				for (const row of rows) {
					if (row.active !== 1) {
						notActive.push(row.reservation_id);
						continue;
					}
					appendToStream(tx, [
						createEvent('file_released', {
							project_key: project,
							timestamp: now,
							metadata: { actor },
							reservation_id: row.reservation_id,
							holder: row.holder,
							released_by: holder,
						}),
					]);
					released.push(row.reservation_id);
				}
				return jsonResult({ released, not_active: notActive, more });
			});
		},
	};
}
