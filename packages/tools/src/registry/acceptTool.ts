import { ConflictError, NotFoundError } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { recordPlannedToolChange } from './recordToolChange.js';
import { checkAgentId, checkToolName, requireAgent } from './registryInput.js';

/** Options of {@link acceptTool}. */
export interface AcceptToolOptions {
	readonly agentId: string;
	readonly tool: string;
	/** The person accepting: recorded on the event and the audit entry. */
	readonly actor: Actor;
	/**
	 * The offered definition hash the user reviewed: when the agent offers
	 * another one by now, nothing is accepted (`CONFLICT`).
	 */
	readonly expectedHash?: string;
	readonly sourceApp?: string;
}

/** What an accept recorded. */
export interface AcceptToolResult {
	readonly agentId: string;
	readonly tool: string;
	/** The new pin: the definition the agent offers. */
	readonly definitionHash: string;
	/** The pin it replaced. */
	readonly previousHash: string;
	readonly audit: AuditRecord;
}

/**
 * Accepts the offered definition of a drifted tool: the pin moves to it and
 * the tool is callable again (`tool_accepted`, audited as security-relevant
 * with the actor and both hashes, one transaction). Refused with
 * `NOT_FOUND` when the agent does not offer the tool now, and `CONFLICT` when
 * the tool is not drifted (nothing to accept).
 */
export function acceptTool(db: AgentSpaceDb, options: AcceptToolOptions): AcceptToolResult {
	checkAgentId(options.agentId);
	checkToolName(options.tool);
	const { agentId, tool } = options;
	const { result, recorded } = recordPlannedToolChange(db, (tx) => {
		requireAgent(tx, agentId);
		const offered = tx.$client
			.prepare('SELECT state, definition_hash AS hash FROM tools WHERE agent_id = ? AND name = ?')
			.get(agentId, tool) as { state: string; hash: string } | undefined;
		if (offered === undefined) {
			throw new NotFoundError(`"${agentId}" does not offer a tool "${tool}" now`, {
				hint: `run \`agentspace tools list --agent ${agentId}\` to see the tools it offers (an agent offers tools while it runs); nothing was accepted`,
			});
		}
		const pin = tx.$client
			.prepare('SELECT definition_hash FROM tool_pins WHERE agent_id = ? AND name = ?')
			.pluck()
			.get(agentId, tool) as string | undefined;
		if (offered.state !== 'drifted' || pin === undefined) {
			throw new ConflictError(`tool "${agentId}/${tool}" is not drifted: nothing to accept`, {
				hint: 'only a tool whose definition changed since it was pinned needs accepting; nothing was changed',
			});
		}
		if (options.expectedHash !== undefined && options.expectedHash !== offered.hash) {
			throw new ConflictError(
				`the definition of "${agentId}/${tool}" changed since you reviewed it: nothing was accepted`,
				{ hint: `review it again: agentspace tools show ${agentId}/${tool}` },
			);
		}
		return {
			result: { agentId, tool, definitionHash: offered.hash, previousHash: pin },
			change: {
				actor: options.actor,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				events: [
					{
						type: 'tool_accepted',
						fields: {
							agent_id: agentId,
							tool,
							definition_hash: offered.hash,
							previous_hash: pin,
						},
					},
				],
				audits: [
					{
						eventType: 'tools.accepted',
						agentId,
						severity: 'security',
						metadata: { tool, definitionHash: offered.hash, previousHash: pin },
					},
				],
			},
		};
	});
	return { ...result, audit: recorded?.audits[0] as AuditRecord };
}
