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
import { GLOB_SCHEMA, globIssues } from './reserveFilesTool.js';
import {
	MAX_SORTIE_DEPENDENCIES,
	MAX_SORTIE_FILES,
	MAX_SORTIE_TEXT,
	MAX_SORTIE_TITLE,
} from './sortieRows.js';

interface CreateSortieArgs extends FleetArgs {
	readonly title: string;
	readonly description?: string;
	readonly priority?: 'low' | 'normal' | 'high' | 'critical';
	readonly files?: readonly string[];
	readonly depends_on?: readonly string[];
}

const IN_PROJECT = 'SELECT 1 FROM sorties WHERE sortie_id = ? AND project_key = ?';
/**
 * The most sorties not yet completed in one project: the work a fleet can
 * have open at once, and a bound on what one pilot creating without end
 * can pile up.
 */
export const MAX_OPEN_SORTIES = 1000;
const OPEN_IN_PROJECT = `SELECT count(*) AS n FROM sorties WHERE project_key = ? AND status != 'completed'`;

/**
 * `fleet/create_sortie`: a piece of work for the project's pilots, open until
 * one starts it; fleet__ready_work offers it once every sortie it depends on
 * is completed.
 */
export function createSortieTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'create_sortie',
		title: 'Create a sortie',
		description:
			'Create a sortie (a piece of work) in the project, open for any pilot. depends_on names sorties that must be completed first (fleet__ready_work offers it only then); files names the globs it expects to touch. Start it with fleet__update_sortie.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				title: { type: 'string', minLength: 1, maxLength: MAX_SORTIE_TITLE },
				description: { type: 'string', maxLength: MAX_SORTIE_TEXT },
				priority: { enum: ['low', 'normal', 'high', 'critical'], default: 'normal' },
				files: {
					type: 'array',
					items: GLOB_SCHEMA,
					maxItems: MAX_SORTIE_FILES,
					uniqueItems: true,
				},
				depends_on: {
					type: 'array',
					items: IDENTIFIER_SCHEMA,
					maxItems: MAX_SORTIE_DEPENDENCIES,
					uniqueItems: true,
					description: 'Sortie ids of the project that must be completed before this one is ready.',
				},
			},
			required: ['callsign', 'title'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				sortie_id: { type: 'string' },
				project: { type: 'string' },
				status: { type: 'string' },
				priority: { type: 'string' },
				depends_on: { type: 'array', items: { type: 'string' } },
				created_at: TIME_SCHEMA,
			},
			required: ['sortie_id', 'project', 'status', 'priority', 'depends_on', 'created_at'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
		async call(raw, context) {
			const args = raw as unknown as CreateSortieArgs;
			actingPilot(context.caller, args);
			const files = args.files ?? [];
			const dependsOn = args.depends_on ?? [];
			const issues = globIssues(files, 'files');
			if (issues.length > 0) refuseArgs('create_sortie', issues);
			const project = projectOf(options, args);
			const sortie_id = generateId('sortie');
			const created_at = nowIso();
			const priority = args.priority ?? 'normal';
			withImmediateTransaction(options.db, (tx) => {
				const open = prepared(tx.$client, OPEN_IN_PROJECT).get(project) as { n: number };
				if (open.n >= MAX_OPEN_SORTIES)
					throw new ConflictError(
						`${project} has ${open.n} sorties not completed (at most ${MAX_OPEN_SORTIES}): not created`,
						{ hint: 'complete some first (fleet__update_sortie), or use another project' },
					);
				// A dependency that does not exist would keep the sortie from ever being ready.
				const exists = prepared(tx.$client, IN_PROJECT);
				const unknown = dependsOn.flatMap((id, i) =>
					exists.get(id, project) === undefined
						? [{ path: `/depends_on/${i}`, message: `no sortie ${id} in project ${project}` }]
						: [],
				);
				if (unknown.length > 0) refuseArgs('create_sortie', unknown);
				appendToStream(
					tx,
					[
						createEvent('sortie_created', {
							project_key: project,
							timestamp: created_at,
							metadata: { actor: callerActor(context.caller) },
							sortie_id,
							title: args.title,
							...(args.description === undefined ? {} : { description: args.description }),
							priority,
							files: [...files],
							depends_on: [...dependsOn],
						}),
					],
					{ expectedVersion: 'no_stream' },
				);
			});
			return jsonResult({
				sortie_id,
				project,
				status: 'open',
				priority,
				depends_on: [...dependsOn],
				created_at,
			});
		},
	};
}
