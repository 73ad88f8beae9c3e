import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AgentSpaceError, isAgentSpaceError, NotFoundError } from '@agentspace/core';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { applyMigrations } from '../migrations/applyMigrations.js';
import * as schema from '../schema/index.js';
import { assertSchemaIntact } from './assertSchemaIntact.js';
import { BUSY_TIMEOUT_MS, configureConnection } from './configureConnection.js';
import { nativeBindingOption } from './nativeBinding.js';
import { retryWhileBusy } from './retryWhileBusy.js';
import type { AgentSpaceDb } from './types.js';

/** Options for {@link openDb}. */
export interface OpenDbOptions {
	/** The SQLite file; created (mode 0600, its directory 0700) when missing. */
	readonly path: string;
	/**
	 * `false` refuses to create a missing database (`NOT_FOUND`): read-only
	 * commands must not turn a typo in `--home`, or a deleted database, into a
	 * fresh empty one. Default `true`.
	 */
	readonly create?: boolean;
}

/**
 * Opens (or creates) the AgentSpace database at `path`, configures the
 * connection and applies pending migrations. A database from a newer schema is
 * refused with `DB_SCHEMA_TOO_NEW`.
 */
export function openDb(options: OpenDbOptions): AgentSpaceDb {
	if (options.create === false && !existsSync(options.path)) {
		throw new NotFoundError(`no AgentSpace database at ${options.path}`, {
			hint: 'check --home (or AGENTSPACE_HOME); run `agentspace doctor` to set up a new home there',
		});
	}
	let client: Database.Database;
	try {
		mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
		createPrivateFile(options.path);
		client = new Database(options.path, nativeBindingOption());
	} catch (error) {
		throw new AgentSpaceError(
			`cannot open the database ${options.path}: ${(error as Error).message}`,
			{
				code: 'DB_OPEN_FAILED',
				hint: isAbiMismatch(error)
					? 'better-sqlite3 was compiled for another Node.js version; run `npm start` (or `pnpm rebuild -r better-sqlite3`) in the AgentSpace checkout'
					: 'check that the AgentSpace home exists and is writable, and that the file is an SQLite database',
				cause: error,
			},
		);
	}
	return initialise(client, options.path);
}

/** A migrated, private in-memory database, for tests and throwaway work. */
export function createInMemoryDb(): AgentSpaceDb {
	return initialise(new Database(':memory:', nativeBindingOption()), ':memory:');
}

function initialise(client: Database.Database, path: string): AgentSpaceDb {
	try {
		// Both steps are safe to repeat: pragmas are idempotent, migrations run in one transaction.
		retryWhileBusy(() => {
			configureConnection(client);
			applyMigrations(client);
		}, BUSY_TIMEOUT_MS);
		assertSchemaIntact(client, path);
		return drizzle({ client, schema }) as AgentSpaceDb;
	} catch (error) {
		client.close();
		if (isAgentSpaceError(error)) throw error;
		throw new AgentSpaceError(`cannot open the database ${path}: ${(error as Error).message}`, {
			code: 'DB_OPEN_FAILED',
			hint: 'the file may be corrupt or not an AgentSpace database; move it aside and run the command again',
			cause: error,
		});
	}
}

// SQLite creates the -wal and -shm files with the main file's mode, so making
// the main file 0600 keeps all three private (the audit log is in them).
function createPrivateFile(path: string): void {
	closeSync(openSync(path, 'a', 0o600));
	if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

// Switching Node versions (nvm, CI legs) leaves a native addon built for the old ABI.
function isAbiMismatch(error: unknown): boolean {
	return error instanceof Error && /NODE_MODULE_VERSION/.test(error.message);
}

/** Closes the database's connection (checkpointing the WAL into the main file). */
export function closeDb(db: AgentSpaceDb): void {
	if (db.$client.open) db.$client.close();
}
