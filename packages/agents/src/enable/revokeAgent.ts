import { ConflictError } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { requireAgent } from '../catalog/requireAgent.js';

/** Options of {@link revokeAgent}. */
export interface RevokeOptions {
	readonly db: AgentSpaceDb;
	readonly id: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	readonly reason?: string;
}

/** Withdraws an agent's approval (`agent_permissions_revoked` + `agents.revoked`): it cannot run until enabled again. */
export function revokeAgent(options: RevokeOptions): {
	id: string;
	revoked: readonly string[];
	audit: AuditRecord;
} {
	const agent = requireAgent(options.db, options.id);
	if (agent.approvedPermissions === null) {
		throw new ConflictError(`agent "${agent.id}" is not enabled: there is nothing to revoke`, {
			hint: '`agentspace agents info <id>` shows its approval state',
		});
	}
	const recorded = recordChange(options.db, {
		actor: options.actor,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		events: [
			{
				type: 'agent_permissions_revoked',
				fields: {
					agent_id: agent.id,
					...(options.reason === undefined ? {} : { reason: options.reason }),
				},
			},
		],
		audit: {
			eventType: 'agents.revoked',
			agentId: agent.id,
			metadata: { revoked: [...agent.approvedPermissions], reason: options.reason ?? null },
		},
	});
	return { id: agent.id, revoked: agent.approvedPermissions, audit: recorded.audit };
}
