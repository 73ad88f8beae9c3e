import { ConflictError, NotFoundError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { type AgentRecord, getAgent } from './agentRecord.js';

/** The catalogue entry for `id`; a `NotFoundError` saying how to find agents when there is none. */
export function requireAgent(db: AgentSpaceDb, id: string): AgentRecord {
	const agent = getAgent(db, id);
	if (agent === undefined) {
		throw new NotFoundError(`no agent "${id}" in the catalogue`, {
			hint: 'run `agentspace agents list` to see the catalogue, `agentspace agents discover` to scan for manifests, or `agentspace agents install <git-url|path>`',
		});
	}
	return agent;
}

/** Like {@link requireAgent}, and the agent must have a checkout. */
export function requireInstalled(
	db: AgentSpaceDb,
	id: string,
): AgentRecord & { readonly installPath: string } {
	const agent = requireAgent(db, id);
	if (agent.installPath === null) {
		throw new ConflictError(`agent "${id}" is not installed`, {
			hint: `install it first: agentspace agents install ${id}`,
		});
	}
	return agent as AgentRecord & { readonly installPath: string };
}
