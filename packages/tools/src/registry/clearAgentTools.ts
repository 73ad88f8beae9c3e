import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { recordPlannedToolChange } from './recordToolChange.js';
import { SYSTEM_ACTOR } from './recordToolList.js';
import { checkAgentId, checkRunId, requireAgent } from './registryInput.js';

/** Options of {@link clearAgentTools}. */
export interface ClearAgentToolsOptions {
	readonly agentId: string;
	/** The run whose session ended; a newer run's tools are left alone. */
	readonly runId: string;
	/** Why (e.g. the session's end reason), recorded on the event. */
	readonly reason?: string;
	/** Default: AgentSpace itself (`system`). */
	readonly actor?: Actor;
	readonly sourceApp?: string;
}

/** What a clear removed. */
export interface ClearAgentToolsResult {
	/** The tools that are no longer offered (empty: nothing was recorded). */
	readonly cleared: readonly string[];
	readonly audit: AuditRecord | undefined;
}

/**
 * Records that a run's MCP session ended: its tools are no longer offered
 * (`agent_tools_cleared` + audit, one transaction). Pins and policies stay.
 * Nothing is written when the run offers nothing (already cleared, or the end
 * of the run was recorded first — that clears them too).
 */
export function clearAgentTools(
	db: AgentSpaceDb,
	options: ClearAgentToolsOptions,
): ClearAgentToolsResult {
	checkAgentId(options.agentId);
	checkRunId(options.runId);
	const { agentId, runId } = options;
	const reason = options.reason?.slice(0, 4096);
	const { result, recorded } = recordPlannedToolChange(db, (tx) => {
		requireAgent(tx, agentId);
		const cleared = tx.$client
			.prepare('SELECT name FROM tools WHERE agent_id = ? AND run_id = ? ORDER BY name')
			.pluck()
			.all(agentId, runId) as string[];
		if (cleared.length === 0) return { result: cleared, change: undefined };
		return {
			result: cleared,
			change: {
				actor: options.actor ?? SYSTEM_ACTOR,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				events: [
					{
						type: 'agent_tools_cleared',
						fields: {
							agent_id: agentId,
							run_id: runId,
							...(reason === undefined ? {} : { reason }),
						},
					},
				],
				audits: [
					{
						eventType: 'tools.cleared',
						agentId,
						metadata: { runId, tools: cleared.length, ...(reason === undefined ? {} : { reason }) },
					},
				],
			},
		};
	});
	return { cleared: result, audit: recorded?.audits[0] };
}
