import { ConflictError, type FieldIssue } from '@agentspace/core';
import { prepared, withImmediateTransaction } from '@agentspace/db';
import {
	findReservationConflicts,
	type ReservationConflict,
	reserveFiles,
} from '@agentspace/events';
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
	refuseArgs,
	TIME_SCHEMA,
} from './fleetCommon.js';

/** The most globs one reservation holds. */
export const MAX_RESERVED_PATHS = 32;
/** The longest glob, in characters. */
export const MAX_GLOB_LENGTH = 512;
/** A reservation's time to live when the call names none: an hour. */
export const DEFAULT_RESERVATION_TTL_SECONDS = 3600;
/** The most conflicts one answer names (conflicts_total counts them all). */
export const MAX_CONFLICTS_SHOWN = 20;
/**
 * The most active (unreleased, unexpired) reservations one pilot holds in a
 * project. Every reservation request checks its globs against all active ones
 * of the project: without a cap, one agent could fill the table and make every
 * other pilot's request slow, or spend the overlap check's budget.
 */
export const MAX_ACTIVE_RESERVATIONS_PER_PILOT = 16;
const ACTIVE_OF_HOLDER = `SELECT count(*) AS n FROM reservations
WHERE project_key = ? AND holder = ? AND released_at IS NULL AND expires_at > ?`;
// The events' own bound on one glob's wildcards (fields.ts, MAX_GLOB_WILDCARDS).
const MAX_WILDCARDS = 16;

interface ReserveArgs extends FleetArgs {
	readonly paths: readonly string[];
	readonly ttl_seconds?: number;
	readonly exclusive?: boolean;
	readonly reason?: string;
	readonly allow_conflicts?: boolean;
}

/** A glob schema for the tools' inputs: relative, without `..`, few wildcards (checked in the call). */
export const GLOB_SCHEMA = {
	type: 'string',
	minLength: 1,
	maxLength: MAX_GLOB_LENGTH,
	description:
		'A glob relative to the project root: "*", "**" and "?" are wildcards; no leading "/", no "..".',
} as const;

/** Every glob the events would refuse, as field issues (`/paths/0`…), so nothing is half-checked. */
export function globIssues(globs: readonly string[], field: string): FieldIssue[] {
	const issues: FieldIssue[] = [];
	globs.forEach((glob, i) => {
		const path = `/${field}/${i}`;
		if (glob.startsWith('/') || glob.split('/').includes('..'))
			issues.push({ path, message: 'must be relative to the project and must not contain ".."' });
		else if ((glob.match(/\*+|\?/g) ?? []).length > MAX_WILDCARDS)
			issues.push({ path, message: `must have at most ${MAX_WILDCARDS} wildcards` });
	});
	return issues;
}

const CONFLICT_SCHEMA = {
	type: 'object',
	properties: {
		reservation_id: { type: 'string' },
		holder: { type: 'string' },
		exclusive: { type: 'boolean' },
		expires_at: TIME_SCHEMA,
		paths: { type: 'array', items: { type: 'string' } },
	},
	required: ['reservation_id', 'holder', 'paths'],
} as const;

function conflictText(conflicts: readonly ReservationConflict[]): string {
	return conflicts
		.slice(0, 5)
		.map((c) => `${c.paths.join(', ')} held by ${c.holder} until ${c.expires_at}`)
		.join('; ');
}

/**
 * `fleet/reserve_files`: reserves globs for the pilot. Refused (nothing
 * written) when another pilot's active reservation overlaps and either is
 * exclusive, naming who holds what; with allow_conflicts it is granted
 * anyway, advisory as the events' reserveFiles, the conflicts recorded.
 */
export function reserveFilesTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'reserve_files',
		title: 'Reserve files',
		description:
			'Reserve files (globs relative to the project) before editing them, so other pilots know. Refused when another pilot holds an overlapping reservation and either is exclusive: the answer names the holder, the paths and until when (message them, or wait). allow_conflicts grants it anyway (recorded as a conflict). Release with fleet__release_files; it expires after ttl_seconds.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				paths: {
					type: 'array',
					items: GLOB_SCHEMA,
					minItems: 1,
					maxItems: MAX_RESERVED_PATHS,
					uniqueItems: true,
				},
				ttl_seconds: {
					type: 'integer',
					minimum: 1,
					maximum: 7 * 24 * 3600,
					default: DEFAULT_RESERVATION_TTL_SECONDS,
				},
				exclusive: {
					type: 'boolean',
					default: true,
					description: 'False: a shared reservation, which only exclusive ones conflict with.',
				},
				reason: { type: 'string', maxLength: 500 },
				allow_conflicts: { type: 'boolean', default: false },
			},
			required: ['callsign', 'paths'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				granted: { type: 'boolean' },
				reservation_id: { type: 'string' },
				project: { type: 'string' },
				paths: { type: 'array', items: { type: 'string' } },
				exclusive: { type: 'boolean' },
				expires_at: TIME_SCHEMA,
				conflicts: { type: 'array', items: CONFLICT_SCHEMA },
				conflicts_total: { type: 'integer' },
			},
			required: ['granted', 'project', 'conflicts', 'conflicts_total'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
		async call(raw, context) {
			const args = raw as unknown as ReserveArgs;
			const holder = actingPilot(context.caller, args);
			const issues = globIssues(args.paths, 'paths');
			if (issues.length > 0) refuseArgs('reserve_files', issues);
			const project = projectOf(options, args);
			const exclusive = args.exclusive ?? true;
			// The check and the grant in one write transaction: no reservation can slip in between.
			const outcome = withImmediateTransaction(options.db, (tx) => {
				const held = prepared(tx.$client, ACTIVE_OF_HOLDER).get(
					project,
					holder,
					new Date().toISOString(),
				) as { n: number };
				if (held.n >= MAX_ACTIVE_RESERVATIONS_PER_PILOT)
					throw new ConflictError(
						`${holder} already holds ${held.n} active reservations in ${project} (at most ${MAX_ACTIVE_RESERVATIONS_PER_PILOT}): nothing reserved`,
						{ hint: 'release some first (fleet__release_files), or reserve broader globs' },
					);
				const conflicts = findReservationConflicts(tx, {
					project_key: project,
					holder,
					paths: args.paths,
					exclusive,
				});
				if (conflicts.length > 0 && args.allow_conflicts !== true)
					return { granted: false as const, conflicts };
				return {
					granted: true as const,
					...reserveFiles(tx, {
						project_key: project,
						holder,
						paths: args.paths,
						exclusive,
						ttl_seconds: args.ttl_seconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
						...(args.reason === undefined ? {} : { reason: args.reason }),
						metadata: { actor: callerActor(context.caller) },
					}),
				};
			});
			const conflicts = outcome.conflicts
				.slice(0, MAX_CONFLICTS_SHOWN)
				.map((c) => ({ ...c, paths: [...c.paths] }));
			const conflicts_total = outcome.conflicts.length;
			if (!outcome.granted) {
				// The model must see it failed, and who to talk to: an isError answer, not a throw.
				const text = `error[CONFLICT]: not reserved: ${conflictText(outcome.conflicts)}\nhint: message the holder (fleet__send_message), wait until it expires, or pass allow_conflicts`;
				return {
					isError: true,
					content: [
						{ type: 'text', text },
						{
							type: 'text',
							text: JSON.stringify({ granted: false, project, conflicts, conflicts_total }),
						},
					],
					structuredContent: { granted: false, project, conflicts, conflicts_total },
				};
			}
			const reservation = outcome.reservation;
			return jsonResult({
				granted: true,
				reservation_id: reservation.reservation_id,
				project,
				paths: reservation.paths,
				exclusive: reservation.exclusive,
				expires_at: reservation.expires_at,
				conflicts,
				conflicts_total,
			});
		},
	};
}
