import { prepared } from '@agentspace/db';
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
	TIME_SCHEMA,
} from './fleetCommon.js';

/** The most pilots one answer lists. */
export const MAX_PILOTS_LISTED = 100;

interface PilotsArgs extends FleetArgs {
	readonly include_ended?: boolean;
	readonly limit?: number;
}

interface PilotRow {
	readonly callsign: string;
	readonly status: string;
	readonly program: string | null;
	readonly model: string | null;
	readonly task_description: string | null;
	readonly registered_at: string;
	readonly last_active_at: string;
}

const COLUMNS = 'callsign, status, program, model, task_description, registered_at, last_active_at';
const ACTIVE = `SELECT ${COLUMNS} FROM pilots WHERE project_key = ? AND status IN ('registered', 'active')
ORDER BY callsign LIMIT ?`;
const ALL = `SELECT ${COLUMNS} FROM pilots WHERE project_key = ? ORDER BY callsign LIMIT ?`;

/** `fleet/pilots`: who is in the project's fleet (read-only). */
export function pilotsTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'pilots',
		title: 'List the fleet',
		description:
			'The pilots registered in the project, by callsign, with what each said it works on. Ended pilots only with include_ended.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				include_ended: { type: 'boolean', default: false },
				limit: { type: 'integer', minimum: 1, maximum: MAX_PILOTS_LISTED, default: 50 },
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				project: { type: 'string' },
				pilots: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							callsign: { type: 'string' },
							status: { type: 'string' },
							program: NULLABLE_STRING,
							model: NULLABLE_STRING,
							task_description: NULLABLE_STRING,
							registered_at: TIME_SCHEMA,
							last_active_at: TIME_SCHEMA,
						},
						required: ['callsign', 'status'],
					},
				},
				more: { type: 'boolean' },
			},
			required: ['project', 'pilots', 'more'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as PilotsArgs;
			actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const limit = args.limit ?? 50;
			const rows = prepared(options.db.$client, args.include_ended === true ? ALL : ACTIVE).all(
				project,
				limit + 1,
			) as PilotRow[];
			const pilots = rows.slice(0, limit).map((row) => ({
				...row,
				task_description:
					row.task_description === null ? null : cut(row.task_description, 300).text,
			}));
			return jsonResult({ project, pilots, more: rows.length > limit });
		},
	};
}
