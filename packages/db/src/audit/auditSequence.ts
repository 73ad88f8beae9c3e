import { prepared } from '../connection/prepared.js';
import type { AgentSpaceDb } from '../connection/types.js';

/**
 * The highest audit id ever assigned (SQLite's AUTOINCREMENT high-water mark),
 * 0 for a fresh log. Rows deleted from the end leave it ahead of the last row.
 */
export function readAuditSequence(db: AgentSpaceDb): number {
	const row = prepared(
		db.$client,
		`SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'`,
	).get() as { seq: number } | undefined;
	return row?.seq ?? 0;
}
