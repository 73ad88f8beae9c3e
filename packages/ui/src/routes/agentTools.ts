import type { AgentRecord } from '@agentspace/agents';
import { isAgentSpaceError, loadConfig } from '@agentspace/core';
import { getAgentToolPolicy, listTools, queryToolCalls } from '@agentspace/tools';
import type { AdminUiDeps } from '../uiContext.js';
import type { AgentTools } from '../views/toolsPanel.js';

/** The most tools the agent page lists (an agent may offer 1,000). */
export const TOOLS_SHOWN = 100;
/** How many of the agent's last tool calls the page shows. */
export const TOOL_CALLS_SHOWN = 20;

/**
 * What the agent page shows of an agent's tools: the tools it offers now
 * (with pin state, drift and effective policy under the config's
 * securityMode, read at each load as `tools list` does), its `*` policy and
 * its last calls. Null for an agent that is not an MCP agent and has nothing
 * recorded about tools, so other agents' pages stay as they were.
 */
export function agentToolsOf(
	deps: Pick<AdminUiDeps, 'db' | 'home'>,
	agent: AgentRecord,
	protocol: string,
): AgentTools | null {
	const star = getAgentToolPolicy(deps.db, agent.id) ?? null;
	const calls = queryToolCalls(deps.db, { agentId: agent.id, limit: TOOL_CALLS_SHOWN });
	let listed: Pick<AgentTools, 'securityMode' | 'tools' | 'total' | 'drifted' | 'problem'>;
	let offered: number;
	try {
		const { securityMode } = loadConfig({ home: deps.home });
		const tools = listTools(deps.db, { agentId: agent.id, securityMode });
		offered = tools.length;
		listed = {
			securityMode,
			tools: tools.slice(0, TOOLS_SHOWN),
			total: tools.length,
			drifted: tools.filter((row) => row.drift !== undefined),
			problem: null,
		};
	} catch (error) {
		// A config that does not load leaves the effective policies unknown: say why, show the rest.
		if (!isAgentSpaceError(error)) throw error;
		listed = { securityMode: null, tools: [], total: 0, drifted: [], problem: error.message };
		// Only whether it offers any (the mode given changes no row's existence).
		offered = listTools(deps.db, { agentId: agent.id, securityMode: 'limited-control' }).length;
	}
	if (protocol !== 'mcp' && offered === 0 && star === null && calls.length === 0) return null;
	return { ...listed, agentApproved: agent.approval === 'approved', star, calls };
}
