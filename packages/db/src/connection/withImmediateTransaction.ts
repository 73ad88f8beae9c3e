import type Database from 'better-sqlite3';
import type { AgentSpaceDb } from './types.js';

type Runner = Database.Transaction<
	(work: (db: AgentSpaceDb) => unknown, db: AgentSpaceDb) => unknown
>;
const runners = new WeakMap<Database.Database, Runner>();
// How many withImmediateTransaction calls are open on each connection: a
// transaction opened any other way (a DEFERRED one) is not a write transaction.
const depths = new WeakMap<Database.Database, number>();

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
	const client = db.$client;
	depths.set(client, (depths.get(client) ?? 0) + 1);
	try {
		return runner(client).immediate(work, db) as T;
	} finally {
		depths.set(client, (depths.get(client) ?? 1) - 1);
	}
}

/**
 * Runs `work` inside the caller's transaction as a savepoint: if it throws,
 * everything it wrote is undone even when the caller catches the error and
 * commits the rest. Units of work use it so a refused step leaves nothing.
 */
export function withSavepoint<T>(db: AgentSpaceDb, work: (db: AgentSpaceDb) => T): T {
	return runner(db.$client)(work, db) as T;
}

/** True when `db` is inside a transaction (a unit of work is open). */
export function inTransaction(db: AgentSpaceDb): boolean {
	return db.$client.inTransaction;
}

/**
 * True when `db` is inside {@link withImmediateTransaction}: a transaction
 * that holds the write lock, so reads made in it cannot go stale before the
 * commit (a DEFERRED transaction could meet SQLITE_BUSY_SNAPSHOT instead).
 */
export function inWriteTransaction(db: AgentSpaceDb): boolean {
	return db.$client.inTransaction && (depths.get(db.$client) ?? 0) > 0;
}
