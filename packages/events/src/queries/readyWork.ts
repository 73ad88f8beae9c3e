import type { AgentSpaceDb } from '@agentspace/db';
import { prepared } from '@agentspace/db';
import { invalidArguments, isIntegerIn, isText } from '../invalid.js';

/** A sortie that can be picked up now. */
export interface ReadySortie {
	readonly sortie_id: string;
	readonly mission_id: string | null;
	readonly title: string;
	readonly priority: string;
	readonly files: readonly string[];
	readonly created_at: string;
}

// Ready: open (nobody has it), and every sortie it depends on exists and is
// completed. A dependency on a sortie that was never created blocks.
const READY = `SELECT s.sortie_id, s.mission_id, s.title, s.priority, s.files, s.created_at
FROM sorties s
WHERE s.project_key = ? AND s.status = 'open'
	AND NOT EXISTS (
		SELECT 1 FROM sortie_dependencies d LEFT JOIN sorties b ON b.sortie_id = d.depends_on
		WHERE d.sortie_id = s.sortie_id
			AND (b.sortie_id IS NULL OR b.project_key != s.project_key OR b.status != 'completed'))
ORDER BY s.priority_rank, s.created_at, s.sortie_id
LIMIT ?`;

/** Open sorties with no open blocker, most urgent first, then oldest. */
export function findReadyWork(db: AgentSpaceDb, projectKey: string, limit = 100): ReadySortie[] {
	const issues = [];
	if (!isText(projectKey))
		issues.push({ path: 'project_key', message: 'must be a non-empty string' });
	if (!isIntegerIn(limit, 1, 10_000))
		issues.push({ path: 'limit', message: 'must be an integer from 1 to 10000' });
	if (issues.length > 0) throw invalidArguments('findReadyWork', issues);
	const rows = prepared(db.$client, READY).all(projectKey, limit) as (Omit<ReadySortie, 'files'> & {
		files: string;
	})[];
	return rows.map((row) => ({ ...row, files: JSON.parse(row.files) as string[] }));
}
