import type { AgentSpaceDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';

/**
 * The `llm:` permissions of agent `id`'s current approval that were approved
 * "remembered" (`agents enable --remember`): read from its latest
 * `agent_enabled` event, the approval itself, so a replay gives the same
 * answer. Empty when it was never enabled or nothing was remembered; a
 * revoke makes the agent not runnable, so an older approval is never read
 * as current (assertRunnable checks the approval first).
 */
export function rememberedApprovals(db: AgentSpaceDb, id: string): readonly string[] {
	const [latest] = queryEvents(db, {
		stream_id: `agent:${id}`,
		types: ['agent_enabled'],
		order: 'desc',
		limit: 1,
	});
	return latest !== undefined && latest.type === 'agent_enabled' ? (latest.remembered ?? []) : [];
}
