import type { AgentSpaceDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';

/** Where agent `id` was last installed from (its latest `agent_installed` event), if it ever was. */
export function lastInstallSource(db: AgentSpaceDb, id: string): string | undefined {
	const [latest] = queryEvents(db, {
		stream_id: `agent:${id}`,
		types: ['agent_installed'],
		order: 'desc',
		limit: 1,
	});
	return latest !== undefined && latest.type === 'agent_installed' ? latest.source : undefined;
}
