import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';

/** A throwaway AgentSpace home with its database open; `cleanup` closes the database first. */
export interface TempHomeDb extends TempHome {
	/** The home's database, `<home>/agentspace.db`. */
	readonly db: AgentSpaceDb;
}

/** Creates a temporary home (see `createTempHome`) and opens its database, for one test. */
export function openTempHomeDb(label: string): TempHomeDb {
	const temp = createTempHome(label);
	const db = openDb({ path: join(temp.home, 'agentspace.db') });
	return {
		...temp,
		db,
		cleanup: () => {
			closeDb(db);
			temp.cleanup();
		},
	};
}
