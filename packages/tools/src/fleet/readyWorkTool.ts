import { findReadyWork } from '@agentspace/events';
import type { BuiltinTool } from '../router/builtinTools.js';
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
import { MAX_SORTIE_FILES } from './sortieRows.js';

/** The most sorties one ready_work answer holds. */
export const MAX_READY_SORTIES = 50;

interface ReadyWorkArgs extends FleetArgs {
	readonly limit?: number;
}

/** `fleet/ready_work`: the project's sorties a pilot can start now (findReadyWork). */
export function readyWorkTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'ready_work',
		title: 'Find ready work',
		description:
			'The sorties of the project nobody has started and whose dependencies are all completed, most urgent first, then oldest. Start one with fleet__update_sortie (action "start").',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				limit: { type: 'integer', minimum: 1, maximum: MAX_READY_SORTIES, default: 20 },
			},
			required: ['callsign'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				project: { type: 'string' },
				sorties: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							sortie_id: { type: 'string' },
							mission_id: { type: ['string', 'null'] },
							title: { type: 'string' },
							priority: { type: 'string' },
							files: { type: 'array', items: { type: 'string' } },
							files_truncated: { type: 'boolean' },
							created_at: TIME_SCHEMA,
						},
						required: ['sortie_id', 'title', 'priority', 'files', 'created_at'],
					},
				},
				more: { type: 'boolean' },
			},
			required: ['project', 'sorties', 'more'],
		},
		annotations: { readOnlyHint: true },
		async call(raw, context) {
			const args = raw as unknown as ReadyWorkArgs;
			actingPilot(context.caller, args);
			const project = projectOf(options, args);
			const limit = args.limit ?? 20;
			const rows = findReadyWork(options.db, project, limit + 1);
			// Sorties written by other paths may name up to 256 globs: the answer shows a bounded few.
			const sorties = rows.slice(0, limit).map((row) => ({
				...row,
				files: row.files.slice(0, MAX_SORTIE_FILES),
				files_truncated: row.files.length > MAX_SORTIE_FILES,
			}));
			return jsonResult({ project, sorties, more: rows.length > limit });
		},
	};
}
