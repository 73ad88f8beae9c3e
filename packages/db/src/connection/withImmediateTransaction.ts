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
	return db.$client.transaction(() => work(db)).immediate();
}

/** True when `db` is inside a transaction (a unit of work is open). */
export function inTransaction(db: AgentSpaceDb): boolean {
	return db.$client.inTransaction;
}
