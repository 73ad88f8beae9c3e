import { ensureHomeDirs, homePaths } from '@agentspace/core';
import { type AgentSpaceDb, openDb } from '@agentspace/db';

/** Opens the home's database for a command that writes: creates the home (0700) and the database as needed. */
export function openHomeDb(home: string): AgentSpaceDb {
	const paths = homePaths(home);
	ensureHomeDirs(paths);
	return openDb({ path: paths.dbFile });
}

/**
 * Opens the home's database for a command that only reads. Creates nothing: a
 * mistyped `--home` or a deleted database is `NOT_FOUND`, not a fresh empty log
 * that `audit verify` would call intact.
 */
export function openExistingHomeDb(home: string): AgentSpaceDb {
	return openDb({ path: homePaths(home).dbFile, create: false });
}
