import { AgentSpaceError } from '@agentspace/core';

// Kept apart from assertSchemaIntact (which loads the schema): the CLI's error
// reporter uses these, and must not pull the database layer into its entry.

/** `DB_DAMAGED`: the database (at `path`, when known) lacks these tables. */
export function damagedDatabaseError(missing: readonly string[], path?: string): AgentSpaceError {
	const tables =
		missing.length === 1 ? `table ${missing[0]} is` : `tables ${missing.join(', ')} are`;
	const file = path ?? 'the database file';
	return new AgentSpaceError(
		`the database${path === undefined ? '' : ` ${path}`} is damaged: ${tables} missing`,
		{
			code: 'DB_DAMAGED',
			hint: `AgentSpace never drops tables: the file was changed outside it. Keep a copy of ${file} for investigation, then restore it from a backup (or move it aside to start afresh, losing its history and audit log)`,
		},
	);
}

const NO_SUCH_TABLE = /^no such table: (?:main\.)?(\w+)/;

/**
 * The `DB_DAMAGED` error for SQLite's `no such table` (a table dropped while
 * the database was open), or undefined for any other error.
 */
export function asDamagedDatabaseError(error: unknown, path?: string): AgentSpaceError | undefined {
	const match = error instanceof Error ? NO_SUCH_TABLE.exec(error.message) : null;
	return match === null ? undefined : damagedDatabaseError([match[1] as string], path);
}
