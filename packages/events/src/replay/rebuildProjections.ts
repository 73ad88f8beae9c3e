import { AgentSpaceError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	inWriteTransaction,
	preparedRaw,
	withImmediateTransaction,
} from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import { invalidArguments, isIntegerIn } from '../invalid.js';
import { projectionContext } from '../projections/projectionContext.js';
import { applyProjections, PROJECTION_TABLES } from '../projections/projections.js';
import { EVENT_COLUMNS, type RawEventRow, rowToEvent } from '../store/rowToEvent.js';

/** Options for {@link rebuildProjections}. */
export interface RebuildOptions {
	/** Events read per page (default 5000). */
	readonly batchSize?: number;
	/** Called after each page with the number of events replayed so far and the total. */
	readonly onProgress?: (replayed: number, total: number) => void;
	/**
	 * Runs inside the rebuild's transaction after the replay, so the caller can
	 * commit its audit record together with the rebuilt tables.
	 */
	readonly beforeCommit?: (db: AgentSpaceDb, events: number) => void;
}

/** What a rebuild did. */
export interface RebuildResult {
	readonly events: number;
	/** The sequence of the last event replayed (0 for an empty log). */
	readonly lastSequence: number;
	readonly tables: readonly string[];
	readonly durationMs: number;
}

/**
 * Applies already-stored events to the projections, in the order given, inside
 * the caller's write transaction. Nothing is written to the event log.
 */
export function replayEvents(db: AgentSpaceDb, events: Iterable<FleetEvent>): number {
	if (!inWriteTransaction(db)) {
		throw new AgentSpaceError('replayEvents must run inside a write transaction', {
			hint: 'use rebuildProjections, or wrap the call in withImmediateTransaction(db, ...)',
		});
	}
	const context = projectionContext(db.$client);
	let count = 0;
	for (const event of events) {
		applyProjections(context, event);
		count += 1;
	}
	return count;
}

/**
 * Empties every projection table and replays the whole event log into them, in
 * one write transaction: readers see the old tables or the new ones, never a
 * half-built state, and a failure leaves the old tables in place.
 */
export function rebuildProjections(db: AgentSpaceDb, options: RebuildOptions = {}): RebuildResult {
	const batchSize = options.batchSize ?? 5000;
	// A batch size of 0 would read nothing and commit empty tables.
	if (!isIntegerIn(batchSize, 1, 100_000)) {
		throw invalidArguments('rebuildProjections', [
			{ path: 'batchSize', message: 'must be an integer from 1 to 100000' },
		]);
	}
	const started = performance.now();
	const client = db.$client;
	let after = 0;
	const events = withImmediateTransaction(db, (tx) => {
		for (const table of [...PROJECTION_TABLES].reverse()) client.exec(`DELETE FROM "${table}"`);
		// Secondary indexes are dropped for the replay and built again after it:
		// building an index from sorted rows once is cheaper than updating it a
		// million times. The DDL is part of the transaction like everything else.
		const indexes = secondaryIndexes(client);
		for (const { name } of indexes) client.exec(`DROP INDEX "${name}"`);
		const total = (client.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
		// Paged rather than iterated: better-sqlite3 cannot run the projections'
		// statements on a connection that is in the middle of an iteration.
		const page = preparedRaw(
			client,
			`SELECT ${EVENT_COLUMNS} FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?`,
		);
		let replayed = 0;
		for (;;) {
			const rows = page.all(after, batchSize) as RawEventRow[];
			if (rows.length === 0) break;
			replayed += replayEvents(tx, rows.map(rowToEvent));
			after = (rows[rows.length - 1] as RawEventRow)[0];
			options.onProgress?.(replayed, total);
		}
		for (const { sql } of indexes) client.exec(sql);
		options.beforeCommit?.(tx, replayed);
		return replayed;
	});
	return {
		events,
		lastSequence: after,
		tables: PROJECTION_TABLES,
		durationMs: Math.round(performance.now() - started),
	};
}

/**
 * The explicitly created, non-unique indexes of the projection tables. Unique
 * ones stay: they enforce a rule during the replay, and handlers may name
 * them in `ON CONFLICT`.
 */
function secondaryIndexes(client: AgentSpaceDb['$client']): { name: string; sql: string }[] {
	const tables = PROJECTION_TABLES.map(() => '?').join(', ');
	return client
		.prepare(
			`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
				AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (${tables})`,
		)
		.all(...PROJECTION_TABLES) as { name: string; sql: string }[];
}
