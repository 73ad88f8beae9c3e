import { createHash } from 'node:crypto';
import type { AgentSpaceDb } from '@agentspace/db';
import { PROJECTION_TABLES } from '../projections/projections.js';

/** One projection table's content, summarised. */
export interface TableDigest {
	readonly rows: number;
	/** SHA-256 over every row (rowid included) in rowid order. */
	readonly sha256: string;
}

/**
 * A digest of every projection table, to check that a rebuild produced
 * byte-identical tables (compare the digest before and after).
 */
export function projectionDigest(db: AgentSpaceDb): Record<string, TableDigest> {
	const out: Record<string, TableDigest> = {};
	for (const table of PROJECTION_TABLES) {
		const hash = createHash('sha256');
		let rows = 0;
		const statement = db.$client
			.prepare(`SELECT rowid AS "rowid", * FROM "${table}" ORDER BY rowid`)
			.raw();
		for (const row of statement.iterate()) {
			hash.update(
				JSON.stringify(row, (_key, value) =>
					typeof value === 'bigint' ? value.toString() : value,
				),
			);
			hash.update('\n');
			rows += 1;
		}
		out[table] = { rows, sha256: hash.digest('hex') };
	}
	return out;
}
