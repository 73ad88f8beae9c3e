import { prepared } from '@agentspace/db';
import type { BuiltinTool } from '../router/builtinTools.js';
import { MAX_CHECKPOINT_CONTEXT, MAX_CHECKPOINT_SUMMARY } from './checkpointTool.js';
import {
	actingPilot,
	CALLSIGN_SCHEMA,
	cut,
	type FleetArgs,
	type FleetToolsOptions,
	IDENTIFIER_SCHEMA,
	jsonResult,
	NULLABLE_STRING,
	PROJECT_SCHEMA,
	projectOf,
	TIME_SCHEMA,
} from './fleetCommon.js';

/** The most checkpoints one answer holds (each up to ~24,000 characters). */
export const MAX_CHECKPOINTS_SHOWN = 10;

interface CheckpointsArgs extends FleetArgs {
	readonly sortie_id?: string;
	readonly limit?: number;
}

interface CheckpointRow {
	readonly checkpoint_id: string;
	readonly sortie_id: string | null;
	readonly trigger: string;
	readonly summary: string;
	readonly context: string;
	readonly created_at: string;
}

// The pilot's own, newest first; deleted ones are gone.
const PAGE = `SELECT checkpoint_id, sortie_id, "trigger" AS "trigger", summary, context, created_at
FROM checkpoints
WHERE project_key = @project AND callsign = @callsign AND deleted_at IS NULL
	AND (@sortie IS NULL OR sortie_id = @sortie)
ORDER BY created_at DESC, checkpoint_id DESC LIMIT @limit`;

/** `fleet/checkpoints`: the acting pilot's latest checkpoints, to pick its work up again. */
export function checkpointsTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'checkpoints',
		title: 'Your checkpoints',
		description: `Your checkpoints in the project, newest first (sortie_id: those of one sortie). Summaries are cut at ${MAX_CHECKPOINT_SUMMARY} characters; a context over ${MAX_CHECKPOINT_CONTEXT} characters of JSON (from a compaction) is left out (context_truncated).`,
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				sortie_id: IDENTIFIER_SCHEMA,
				limit: { type: 'integer', minimum: 1, maximum: MAX_CHECKPOINTS_SHOWN, default: 3 },
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				callsign: { type: 'string' },
				project: { type: 'string' },
				checkpoints: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							checkpoint_id: { type: 'string' },
							sortie_id: NULLABLE_STRING,
							trigger: { type: 'string' },
							summary: { type: 'string' },
							summary_truncated: { type: 'boolean' },
							context: { type: ['object', 'null'] },
							context_truncated: { type: 'boolean' },
							created_at: TIME_SCHEMA,
						},
						required: ['checkpoint_id', 'summary', 'context', 'created_at'],
					},
				},
				more: { type: 'boolean' },
			},
			required: ['callsign', 'project', 'checkpoints', 'more'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as CheckpointsArgs;
			const callsign = actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const limit = args.limit ?? 3;
			const rows = prepared(options.db.$client, PAGE).all({
				project,
				callsign,
				sortie: args.sortie_id ?? null,
				limit: limit + 1,
			}) as CheckpointRow[];
			const checkpoints = rows.slice(0, limit).map((row) => {
				const summary = cut(row.summary, MAX_CHECKPOINT_SUMMARY);
				const big = row.context.length > MAX_CHECKPOINT_CONTEXT;
				return {
					checkpoint_id: row.checkpoint_id,
					sortie_id: row.sortie_id,
					trigger: row.trigger,
					summary: summary.text,
					summary_truncated: summary.truncated,
					context: big ? null : (JSON.parse(row.context) as Record<string, unknown>),
					context_truncated: big,
					created_at: row.created_at,
				};
			});
			return jsonResult({ callsign, project, checkpoints, more: rows.length > limit });
		},
	};
}
