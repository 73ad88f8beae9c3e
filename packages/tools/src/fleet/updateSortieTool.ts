import {
	ConflictError,
	type FieldIssue,
	NotFoundError,
	nowIso,
	PermissionDeniedError,
} from '@agentspace/core';
import { type AgentSpaceDb, prepared, withImmediateTransaction } from '@agentspace/db';
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
} from './fleetCommon.js';
import {
	MAX_SORTIE_TEXT,
	SORTIE_OUTPUT_SCHEMA,
	type SortieRow,
	sortieAnswer,
	sortieOf,
} from './sortieRows.js';

type Action = 'start' | 'progress' | 'block' | 'resume' | 'complete';

interface UpdateSortieArgs extends FleetArgs {
	readonly sortie_id: string;
	readonly action: Action;
	readonly percent?: number;
	readonly note?: string;
	readonly reason?: string;
	readonly outcome?: 'succeeded' | 'failed' | 'cancelled';
	readonly summary?: string;
}

// Which of the optional fields each action takes, and which it needs.
const FIELDS: Record<Action, { takes: readonly string[]; needs: readonly string[] }> = {
	start: { takes: [], needs: [] },
	progress: { takes: ['percent', 'note'], needs: ['percent'] },
	block: { takes: ['reason'], needs: ['reason'] },
	resume: { takes: ['note'], needs: [] },
	complete: { takes: ['outcome', 'summary'], needs: ['outcome'] },
};
const OPTIONAL = ['percent', 'note', 'reason', 'outcome', 'summary'] as const;
// The statuses each action applies to (the projection ignores it in any other).
const FROM: Record<Action, readonly string[]> = {
	start: ['open', 'assigned'],
	progress: ['in_progress'],
	block: ['assigned', 'in_progress'],
	resume: ['blocked'],
	complete: ['assigned', 'in_progress', 'blocked'],
};

/** Every field the action does not take or misses, as field issues. */
function actionIssues(args: UpdateSortieArgs): FieldIssue[] {
	const { takes, needs } = FIELDS[args.action];
	const issues: FieldIssue[] = [];
	for (const field of OPTIONAL) {
		const given = args[field] !== undefined;
		if (given && !takes.includes(field))
			issues.push({ path: `/${field}`, message: `is not taken by action "${args.action}"` });
		else if (!given && needs.includes(field))
			issues.push({ path: `/${field}`, message: `is required by action "${args.action}"` });
	}
	return issues;
}

function eventOf(args: UpdateSortieArgs, callsign: string) {
	const sortie_id = args.sortie_id;
	const note = args.note === undefined ? {} : { note: args.note };
	switch (args.action) {
		case 'start':
			return { type: 'sortie_started', data: { sortie_id, callsign } } as const;
		case 'progress':
			return {
				type: 'sortie_progress',
				data: { sortie_id, percent: args.percent ?? 0, ...note },
			} as const;
		case 'block':
			return { type: 'sortie_blocked', data: { sortie_id, reason: args.reason ?? '' } } as const;
		case 'resume':
			return { type: 'sortie_resumed', data: { sortie_id, ...note } } as const;
		case 'complete':
			return {
				type: 'sortie_completed',
				data: {
					sortie_id,
					outcome: args.outcome ?? 'succeeded',
					...(args.summary === undefined ? {} : { summary: args.summary }),
				},
			} as const;
	}
}

// The sortie's dependencies not completed (or never created), as findReadyWork counts them.
const OPEN_BLOCKERS = `SELECT d.depends_on FROM sortie_dependencies d LEFT JOIN sorties b ON b.sortie_id = d.depends_on
WHERE d.sortie_id = ? AND (b.sortie_id IS NULL OR b.project_key != ? OR b.status != 'completed')
ORDER BY d.depends_on LIMIT 5`;

/** Refuses to start a sortie that is not ready: one it depends on is not completed. */
function checkReady(db: AgentSpaceDb, row: SortieRow): void {
	const blockers = prepared(db.$client, OPEN_BLOCKERS).all(row.sortie_id, row.project_key) as {
		depends_on: string;
	}[];
	if (blockers.length > 0)
		throw new ConflictError(
			`sortie ${row.sortie_id} is not ready: it depends on ${blockers.map((b) => b.depends_on).join(', ')}, not completed`,
			{ hint: 'fleet__ready_work lists the sorties that can be started' },
		);
}

/** Refuses an action the sortie's state or holder does not allow (nothing is written). */
function checkAllowed(row: SortieRow, args: UpdateSortieArgs, callsign: string): void {
	const mine = row.assignee === callsign;
	// Starting takes an open sortie, or one assigned to the pilot; every other action is the holder's.
	if (row.assignee !== null && !mine)
		throw new PermissionDeniedError(
			`sortie ${row.sortie_id} is ${row.assignee}'s: ${callsign} cannot ${args.action} it`,
			{
				hint: `message ${row.assignee} (fleet__send_message), or pick other work (fleet__ready_work)`,
			},
		);
	if (row.assignee === null && args.action !== 'start')
		throw new ConflictError(
			`sortie ${row.sortie_id} is ${row.status} and nobody has started it: cannot ${args.action} it`,
			{ hint: 'start it first (action "start")' },
		);
	if (!FROM[args.action].includes(row.status))
		throw new ConflictError(
			`sortie ${row.sortie_id} is ${row.status}: cannot ${args.action} it (only when ${FROM[args.action].join(' or ')})`,
			{ hint: 'fleet__ready_work lists the sorties that can be started' },
		);
}

/**
 * `fleet/update_sortie`: the acting pilot starts a sortie (it becomes its
 * holder), reports progress, blocks, resumes or completes it. Only the holder
 * moves a started sortie; an action the sortie's status does not allow is
 * refused, so every event written changes the projection.
 */
export function updateSortieTool(options: FleetToolsOptions): BuiltinTool {
	return {
		name: 'update_sortie',
		title: 'Work on a sortie',
		description:
			'Move a sortie of the project along, as its holder: "start" (an open one; you become its holder), "progress" (percent 0-100, note), "block" (reason), "resume" (note), "complete" (outcome: succeeded, failed or cancelled; summary). Another pilot\'s sortie is refused; so is an action its status does not allow.',
		inputSchema: {
			type: 'object',
			properties: {
				callsign: CALLSIGN_SCHEMA,
				project: PROJECT_SCHEMA,
				sortie_id: IDENTIFIER_SCHEMA,
				action: { enum: ['start', 'progress', 'block', 'resume', 'complete'] },
				percent: { type: 'integer', minimum: 0, maximum: 100, description: 'With "progress".' },
				note: {
					type: 'string',
					maxLength: MAX_SORTIE_TEXT,
					description: 'With "progress" or "resume".',
				},
				reason: {
					type: 'string',
					minLength: 1,
					maxLength: MAX_SORTIE_TEXT,
					description: 'With "block".',
				},
				outcome: { enum: ['succeeded', 'failed', 'cancelled'], description: 'With "complete".' },
				summary: { type: 'string', maxLength: MAX_SORTIE_TEXT, description: 'With "complete".' },
			},
			required: ['callsign', 'sortie_id', 'action'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: { action: { type: 'string' }, sortie: SORTIE_OUTPUT_SCHEMA },
			required: ['action', 'sortie'],
		},
		annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
		async call(raw, context) {
			const args = raw as unknown as UpdateSortieArgs;
			const callsign = actingPilot(context.caller, args);
			const issues = actionIssues(args);
			if (issues.length > 0) refuseArgs('update_sortie', issues);
			const project = projectOf(options, args);
			const sortie = withImmediateTransaction(options.db, (tx) => {
				const row = sortieOf(tx, args.sortie_id, project);
				if (row === undefined)
					throw new NotFoundError(
						`no sortie ${args.sortie_id} in project ${JSON.stringify(project)}`,
						{
							hint: 'fleet__ready_work lists the open ones and their ids',
						},
					);
				checkAllowed(row, args, callsign);
				if (args.action === 'start') checkReady(tx, row);
				const { type, data } = eventOf(args, callsign);
				appendToStream(tx, [
					createEvent(type, {
						project_key: project,
						timestamp: nowIso(),
						metadata: { actor: callerActor(context.caller) },
						...data,
					}),
				]);
				return sortieOf(tx, args.sortie_id, project) as SortieRow;
			});
			return jsonResult({ action: args.action, sortie: sortieAnswer(sortie) });
		},
	};
}
