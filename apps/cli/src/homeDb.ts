import { ensureHomeDirs, homePaths } from '@agentspace/core';
import { type AgentSpaceDb, openDb } from '@agentspace/db';

/** Opens the home's database, creating the home (mode 0700) and migrating as needed. */
export function openHomeDb(home: string): AgentSpaceDb {
	const paths = homePaths(home);
	ensureHomeDirs(paths);
	return openDb({ path: paths.dbFile });
}
