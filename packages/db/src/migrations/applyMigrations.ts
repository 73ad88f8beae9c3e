import { ConflictError } from '@agentspace/core';
import type Database from 'better-sqlite3';
import type { EmbeddedMigration } from './embeddedMigration.js';
import { EMBEDDED_MIGRATIONS } from './embeddedMigrations.generated.js';

/** Where a database's schema stands relative to this build. */
export interface SchemaStatus {
	/** Migrations applied to the database (its schema version). */
	readonly version: number;
	/** Migrations this build ships (the newest schema it knows). */
	readonly latest: number;
}

// drizzle-kit's own bookkeeping table and shape, so `drizzle-kit` tooling keeps
// understanding databases migrated here.
const JOURNAL_TABLE = '__drizzle_migrations';

interface AppliedRow {
	readonly hash: string;
	readonly created_at: number;
}

/**
 * Brings the database up to this build's schema. Unlike drizzle's own migrator it
 * runs in one BEGIN IMMEDIATE transaction (two processes opening a fresh file at
 * once cannot both migrate) and refuses a database written by a newer schema
 * instead of silently running against it. `migrations` defaults to the ones
 * this build ships; tests pass a prefix to create an older database.
 */
export function applyMigrations(
	client: Database.Database,
	migrations: readonly EmbeddedMigration[] = EMBEDDED_MIGRATIONS,
): SchemaStatus {
	const latest = migrations.length;
	// Fast path, read-only: most opens find the schema current and take no write lock.
	const current = readApplied(client);
	if (current !== undefined) {
		assertNotNewer(current, migrations);
		if (current.length === latest) return { version: latest, latest };
	}
	return client
		.transaction((): SchemaStatus => {
			client.exec(
				`CREATE TABLE IF NOT EXISTS ${JOURNAL_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`,
			);
			const applied = readApplied(client) ?? [];
			assertNotNewer(applied, migrations);
			const pending = migrations.slice(applied.length);
			const record = client.prepare(
				`INSERT INTO ${JOURNAL_TABLE} (hash, created_at) VALUES (?, ?)`,
			);
			for (const migration of pending) {
				for (const statement of migration.sql) {
					if (statement.trim() !== '') client.exec(statement);
				}
				record.run(migration.hash, migration.folderMillis);
			}
			client.pragma(`user_version = ${latest}`);
			return { version: latest, latest };
		})
		.immediate();
}

/** The schema version of an open database (migrations applied) and the newest this build knows. */
export function readSchemaStatus(client: Database.Database): SchemaStatus {
	return { version: readApplied(client)?.length ?? 0, latest: EMBEDDED_MIGRATIONS.length };
}

function readApplied(client: Database.Database): AppliedRow[] | undefined {
	const exists = client
		.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
		.get(JOURNAL_TABLE);
	if (exists === undefined) return undefined;
	return client
		.prepare(`SELECT hash, created_at FROM ${JOURNAL_TABLE} ORDER BY created_at, id`)
		.all() as AppliedRow[];
}

function assertNotNewer(
	applied: readonly AppliedRow[],
	migrations: readonly EmbeddedMigration[],
): void {
	const newestKnown = migrations.at(-1)?.folderMillis ?? 0;
	const unknown = applied.filter((row) => Number(row.created_at) > newestKnown);
	if (applied.length > migrations.length || unknown.length > 0) {
		throw new ConflictError(
			`this database has schema version ${applied.length}, newer than this build of AgentSpace knows (${migrations.length})`,
			{
				code: 'DB_SCHEMA_TOO_NEW',
				hint: 'upgrade agentspace to the version that wrote this database, or use another home with --home',
			},
		);
	}
}
