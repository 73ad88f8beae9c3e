import type Database from 'better-sqlite3';

/** How long a connection waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * Pragmas every connection needs: WAL so readers never block the writer,
 * NORMAL sync (durable at checkpoints, safe with WAL), a generous busy timeout
 * so concurrent CLI/daemon writers queue instead of seeing SQLITE_BUSY, and
 * foreign keys enforced.
 */
export function configureConnection(client: Database.Database): void {
	client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	if (!client.memory) client.pragma('journal_mode = WAL');
	client.pragma('synchronous = NORMAL');
	client.pragma('foreign_keys = ON');
}
