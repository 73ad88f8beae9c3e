import type { AgentSpaceDb } from '@agentspace/db';
import { PROJECTION_TABLES } from '../projections/projections.js';

/**
 * Every row of every projection table (rowid first), for tests that compare
 * tables row by row — e.g. before and after a refused command, or a live
 * database against a rebuilt one.
 */
export function dumpProjections(db: AgentSpaceDb): Record<string, unknown[][]> {
	const out: Record<string, unknown[][]> = {};
	for (const table of PROJECTION_TABLES) {
		out[table] = db.$client
			.prepare(`SELECT rowid AS "rowid", * FROM "${table}" ORDER BY rowid`)
			.raw()
			.all() as unknown[][];
	}
	return out;
}
