import type { SecurityMode } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { getTool } from '../registry/listTools.js';
import type { RoutableTool } from './routedSession.js';

/**
 * The router's view of a tool from the registry (getTool): its offered
 * definition — equal to its pin unless drifted — its state, its effective
 * policy, and the run that listed it.
 */
export function registryLookup(
	db: AgentSpaceDb,
	agentId: string,
	tool: string,
	securityMode: SecurityMode,
): RoutableTool | undefined {
	const row = getTool(db, agentId, tool, securityMode);
	if (row === undefined) return undefined;
	const { definition } = row;
	return {
		agentId: row.agentId,
		name: row.name,
		runId: row.runId,
		inputSchema: definition.inputSchema,
		...(definition.outputSchema === undefined ? {} : { outputSchema: definition.outputSchema }),
		definitionHash: definition.definitionHash,
		state: row.state,
		policy: row.policy,
	};
}
