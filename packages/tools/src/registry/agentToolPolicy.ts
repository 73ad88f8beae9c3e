import type { AgentSpaceDb } from '@agentspace/db';
import { checkAgentId, type ToolPolicy } from './registryInput.js';

/** An agent's `*` policy row: what every tool of it without a row of its own gets. */
export interface AgentToolPolicy {
	readonly policy: ToolPolicy;
	readonly setAt: string;
	/** Who set it (the actor's id). */
	readonly setBy: string;
}

/**
 * The agent's `*` policy, or undefined when none is set (its tools then get
 * their own row or the securityMode default). Read on its own because
 * `listTools` only shows it through the tools that rely on it, and an agent
 * that is not running offers none.
 */
export function getAgentToolPolicy(db: AgentSpaceDb, agentId: string): AgentToolPolicy | undefined {
	checkAgentId(agentId);
	const row = db.$client
		.prepare(
			"SELECT policy, set_at AS setAt, set_by AS setBy FROM tool_policies WHERE agent_id = ? AND tool = '*'",
		)
		.get(agentId) as AgentToolPolicy | undefined;
	return row;
}
