import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { NULLABLE_STRING, TIME_SCHEMA } from './fleetCommon.js';

/** The longest sortie title, in characters (the events' bound). */
export const MAX_SORTIE_TITLE = 512;
/** The longest description, note, reason or summary a sortie tool takes, in characters. */
export const MAX_SORTIE_TEXT = 8000;
/** The most globs a sortie names, and the most of them an answer shows. */
export const MAX_SORTIE_FILES = 32;
/** The most sorties one sortie depends on. */
export const MAX_SORTIE_DEPENDENCIES = 32;

/** A sortie as the tools select it. */
export interface SortieRow {
	readonly sortie_id: string;
	readonly project_key: string;
	readonly title: string;
	readonly priority: string;
	readonly status: string;
	readonly assignee: string | null;
	readonly progress_percent: number;
	readonly progress_note: string | null;
	readonly blocked_reason: string | null;
	readonly outcome: string | null;
	readonly updated_at: string;
}

const BY_ID = `SELECT sortie_id, project_key, title, priority, status, assignee, progress_percent,
	progress_note, blocked_reason, outcome, updated_at FROM sorties WHERE sortie_id = ? AND project_key = ?`;

/** One sortie of the project, or undefined (another project's is not there). */
export function sortieOf(
	db: AgentSpaceDb,
	sortieId: string,
	project: string,
): SortieRow | undefined {
	return prepared(db.$client, BY_ID).get(sortieId, project) as SortieRow | undefined;
}

/** A sortie's state in a tool's answer. */
export const SORTIE_OUTPUT_SCHEMA = {
	type: 'object',
	properties: {
		sortie_id: { type: 'string' },
		project: { type: 'string' },
		title: { type: 'string' },
		priority: { type: 'string' },
		status: { type: 'string' },
		assignee: NULLABLE_STRING,
		progress_percent: { type: 'integer' },
		progress_note: NULLABLE_STRING,
		blocked_reason: NULLABLE_STRING,
		outcome: NULLABLE_STRING,
		updated_at: TIME_SCHEMA,
	},
	required: ['sortie_id', 'project', 'status'],
} as const;

/** A row as the answer's object (texts as stored: the tools bound what they write). */
export function sortieAnswer(row: SortieRow): Record<string, unknown> {
	const { project_key, ...rest } = row;
	return { ...rest, project: project_key };
}
