import type Database from 'better-sqlite3';

/** How long a connection waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * WAL pages written before a commit also checkpoints them into the database
 * file. SQLite's default (1000 pages) makes about one append in a hundred pay
 * for a checkpoint and its fsync, which is exactly the 99th percentile of
 * append latency (`pnpm bench` in packages/events: p99 2.9 ms at 1000 pages).
 * At 4000 pages (a WAL of up to 16 MB) it is one append in ~400.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Pragmas every connection needs: WAL so readers never block the writer,
 * NORMAL sync (durable at checkpoints, safe with WAL), a generous busy timeout
 * so concurrent CLI/daemon writers queue instead of seeing SQLITE_BUSY,
 * foreign keys enforced, and checkpoints every {@link WAL_AUTOCHECKPOINT_PAGES}.
 */
export function configureConnection(client: Database.Database): void {
	client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	if (!client.memory) {
		client.pragma('journal_mode = WAL');
		client.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
	}
	client.pragma('synchronous = NORMAL');
	client.pragma('foreign_keys = ON');
	// INSERT OR REPLACE deletes the row it replaces without firing DELETE
	// triggers unless this is on: it would slip past the append-only guards.
	client.pragma('recursive_triggers = ON');
}
