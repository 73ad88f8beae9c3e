import type Database from 'better-sqlite3';
import type { AgentSpaceDb } from './types.js';

/**
 * Runs `work` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up
 * front, so two writers queue (busy_timeout) instead of one failing half-way
 * with SQLITE_BUSY. Commits when `work` returns, rolls back when it throws.
 * Inside an existing transaction it nests as a savepoint.
 *
 * `work` must be synchronous: better-sqlite3 is, and an awaited step would run
 * after the commit. A returned promise is rejected by better-sqlite3.
 */
export function withImmediateTransaction<T>(db: AgentSpaceDb, work: (db: AgentSpaceDb) => T): T {
	return runner(db.$client).immediate(work, db) as T;
}

type Runner = Database.Transaction<
	(work: (db: AgentSpaceDb) => unknown, db: AgentSpaceDb) => unknown
>;
const runners = new WeakMap<Database.Database, Runner>();

// One transaction function per connection, reused: building one per call
// (better-sqlite3 wraps four variants each time) cost ~5 µs of a ~40 µs append.
function runner(client: Database.Database): Runner {
	let run = runners.get(client);
	if (run === undefined) {
		run = client.transaction((work: (db: AgentSpaceDb) => unknown, db: AgentSpaceDb) => work(db));
		runners.set(client, run);
	}
	return run;
}

/** True when `db` is inside a transaction (a unit of work is open). */
export function inTransaction(db: AgentSpaceDb): boolean {
	return db.$client.inTransaction;
}
