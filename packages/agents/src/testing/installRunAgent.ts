import type { AgentSpaceDb } from '@agentspace/db';
import {
	createRunFixtureAgentRepo,
	type GitRepo,
	type RunFixtureAgentRepoOptions,
} from '@agentspace/testing';
import type { ChangeActor } from '../catalog/recordChange.js';
import { enableAgent } from '../enable/enableAgent.js';
import { installAgent } from '../install/installAgent.js';

/** Where {@link installRunAgent} installs, and as whom. */
export interface InstallRunAgentOptions extends RunFixtureAgentRepoOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly actor: ChangeActor;
}

/**
 * Installs the runnable fixture agent `echo-agent` (see
 * `createRunFixtureAgentRepo`) and enables it with all its permissions
 * approved; returns its repository, which the caller cleans up.
 */
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
