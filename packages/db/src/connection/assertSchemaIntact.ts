import type Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema/index.js';
import { damagedDatabaseError } from './damagedDatabase.js';

/** Every table this build's schema defines (migrations create them all). */
const EXPECTED_TABLES: readonly string[] = Object.values(schema)
	.filter((value) => is(value, SQLiteTable))
	.map((table) => getTableName(table as SQLiteTable))
	.sort();

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
