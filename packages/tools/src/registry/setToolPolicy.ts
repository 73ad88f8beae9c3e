import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { recordPlannedToolChange } from './recordToolChange.js';
import {
	checkAgentId,
	checkPolicy,
	checkToolName,
	requireAgent,
	type ToolPolicy,
} from './registryInput.js';

/** Options of {@link setToolPolicy}. */
export interface SetToolPolicyOptions {
	readonly agentId: string;
	/** A tool name, or `*` for every tool of the agent without a row of its own. */
	readonly tool: string;
	readonly policy: ToolPolicy;
	/** The person deciding: recorded on the event and the audit entry. */
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/** What a policy change recorded. */
export interface SetToolPolicyResult {
	readonly agentId: string;
	readonly tool: string;
	readonly policy: ToolPolicy;
	readonly audit: AuditRecord;
}

/**
 * Allows or denies a tool (or `*`: every tool) of a catalogued agent
 * (`tool_policy_set` + audit with the actor, one transaction). The tool need
 * not be offered now: a policy may be set before the agent runs. An explicit
 * row beats the `*` row, which beats the securityMode default.
 */
export function setToolPolicy(
	db: AgentSpaceDb,
	options: SetToolPolicyOptions,
): SetToolPolicyResult {
	checkAgentId(options.agentId);
	checkToolName(options.tool, { star: true });
	checkPolicy(options.policy);
	const { agentId, tool, policy } = options;
	const { recorded } = recordPlannedToolChange(db, (tx) => {
		requireAgent(tx, agentId);
		return {
			result: undefined,
			change: {
				actor: options.actor,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				events: [{ type: 'tool_policy_set', fields: { agent_id: agentId, tool, policy } }],
				audits: [
					{
						eventType: 'tools.policy_set',
						agentId,
						// Allowing widens what an agent can be made to do.
						severity: policy === 'allow' ? 'security' : 'info',
						metadata: { tool, policy },
					},
				],
			},
		};
	});
	return { agentId, tool, policy, audit: recorded?.audits[0] as AuditRecord };
}
