import { join } from 'node:path';
import { type ChangeActor, enableAgent, installAgent } from '@agentspace/agents';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import {
	createRunFixtureAgentRepo,
	createTempHome,
	type GitRepo,
	type RunFixtureAgentRepoOptions,
	type TempHome,
} from '@agentspace/testing';

// The daemon's tests reach the lifecycle through @agentspace/agents' public
// entry only, as any host would: these two are the agents package's own test
// set-up (its testSupport/), written against that entry.

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

/** Where {@link installRunAgent} installs, and as whom. */
export interface InstallRunAgentOptions extends RunFixtureAgentRepoOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly actor: ChangeActor;
}

/** Installs and enables (all approved) the runnable fixture agent `echo-agent`; returns its repository. */
export async function installRunAgent(options: InstallRunAgentOptions): Promise<GitRepo> {
	const { db, home, actor, ...agent } = options;
	const repo = createRunFixtureAgentRepo(agent);
	try {
		await installAgent({ db, home, source: repo.url, actor });
		enableAgent({ db, id: 'echo-agent', approve: 'all', actor });
	} catch (error) {
		repo.cleanup();
		throw error;
	}
	return repo;
}
