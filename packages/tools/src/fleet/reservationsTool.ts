import { nowIso } from '@agentspace/core';
import { prepared } from '@agentspace/db';
import { globsOverlap } from '@agentspace/events';
import type { BuiltinTool } from '../router/builtinTools.js';
import {
	actingPilot,
	CALLSIGN_SCHEMA,
	cut,
	type FleetArgs,
	type FleetToolsOptions,
	jsonResult,
	NULLABLE_STRING,
	PROJECT_SCHEMA,
	projectOf,
	refuseArgs,
	TIME_SCHEMA,
} from './fleetCommon.js';
import { GLOB_SCHEMA, globIssues } from './reserveFilesTool.js';

/** The most reservations one answer lists. */
export const MAX_RESERVATIONS_LISTED = 100;
// Active reservations read to answer one call: a path filter skips the ones it does not overlap.
const MAX_SCANNED = 5000;

interface ReservationsArgs extends FleetArgs {
	readonly holder?: string;
	readonly path?: string;
	readonly limit?: number;
}

interface ReservationRow {
	readonly reservation_id: string;
	readonly holder: string;
	readonly paths: string;
	readonly exclusive: number;
	readonly reason: string | null;
	readonly created_at: string;
	readonly expires_at: string;
}

const ACTIVE = `SELECT reservation_id, holder, paths, exclusive, reason, created_at, expires_at
FROM reservations WHERE project_key = @project AND released_at IS NULL AND expires_at > @now
	AND (@holder IS NULL OR holder = @holder)
ORDER BY created_at, reservation_id LIMIT @limit`;

/** `fleet/reservations`: the project's active file reservations (read-only). */
export function reservationsTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'reservations',
		title: 'List file reservations',
		description:
			'The active (unreleased, unexpired) file reservations of the project, oldest first: who holds which globs until when. Filter by holder, or by path (a file or glob: the reservations that overlap it).',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				holder: CALLSIGN_SCHEMA,
				path: GLOB_SCHEMA,
				limit: { type: 'integer', minimum: 1, maximum: MAX_RESERVATIONS_LISTED, default: 50 },
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				project: { type: 'string' },
				reservations: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							reservation_id: { type: 'string' },
							holder: { type: 'string' },
							paths: { type: 'array', items: { type: 'string' } },
							exclusive: { type: 'boolean' },
							reason: NULLABLE_STRING,
							created_at: TIME_SCHEMA,
							expires_at: TIME_SCHEMA,
							mine: { type: 'boolean' },
						},
						required: ['reservation_id', 'holder', 'paths', 'exclusive', 'expires_at'],
					},
				},
				more: { type: 'boolean' },
			},
			required: ['project', 'reservations', 'more'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as ReservationsArgs;
			const callsign = actingPilot(context.caller, args);
			if (args.path !== undefined) {
				const issues = globIssues([args.path], 'path').map((i) => ({ ...i, path: '/path' }));
				if (issues.length > 0) refuseArgs('reservations', issues);
			}
			const project = projectOf(options, args);
			const limit = args.limit ?? 50;
			const rows = prepared(options.db.$client, ACTIVE).all({
				project,
				now: nowIso(),
				holder: args.holder ?? null,
				limit: args.path === undefined ? limit + 1 : MAX_SCANNED,
			}) as ReservationRow[];
			const budget = { steps: 1_000_000 };
			const path = args.path;
			const matching = rows
				.map((row) => ({ row, paths: JSON.parse(row.paths) as string[] }))
				.filter(
					({ paths }) =>
						path === undefined || paths.some((held) => globsOverlap(path, held, budget)),
				);
			return jsonResult({
				project,
				reservations: matching.slice(0, limit).map(({ row, paths }) => ({
					reservation_id: row.reservation_id,
					holder: row.holder,
					paths,
					exclusive: row.exclusive === 1,
					reason: row.reason === null ? null : cut(row.reason, 300).text,
					created_at: row.created_at,
					expires_at: row.expires_at,
					mine: row.holder === callsign,
				})),
				// A path filter reads at most MAX_SCANNED reservations: more may lie beyond them.
				more: matching.length > limit || (path !== undefined && rows.length === MAX_SCANNED),
			});
		},
	};
}
