import { AgentSpaceError } from '@agentspace/core';
import type Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/index.js';

/** Every table this build's schema defines (migrations create them all). */
const EXPECTED_TABLES: readonly string[] = Object.values(schema)
	.filter((value) => is(value, SQLiteTable))
	.map((table) => getTableName(table as SQLiteTable))
	.sort();

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

/**
 * Refuses a database whose migrations are recorded as applied but whose
 * tables are not all there (dropped with raw SQL): without this, the first
 * query that needs one fails as `no such table`, an internal error. A damaged
 * database is a finding, reported as `DB_DAMAGED` naming what is missing.
 * One read of `sqlite_master` per open.
 */
export function assertSchemaIntact(client: Database.Database, path: string): void {
	const present = new Set(
		client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[],
	);
	const missing = EXPECTED_TABLES.filter((name) => !present.has(name));
	if (missing.length > 0) throw damagedDatabaseError(missing, path);
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
