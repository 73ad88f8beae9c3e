import type { BuiltinToolGroup } from '@agentspace/tools';
import {
	agentStatusTool,
	listAgentsTool,
	startAgentTool,
	stopAgentTool,
} from './agentspaceAgentTools.js';
import { agentLogsTool, searchAuditTool } from './agentspaceRecordTools.js';
import type { AgentspaceToolsOptions } from './agentspaceToolCommon.js';

export type { AgentspaceToolsOptions } from './agentspaceToolCommon.js';

/**
 * The `agentspace` built-in tools (`agentspace__list_agents`…): AgentSpace
 * itself, for an MCP client or an approved agent — list agents and their
 * status, start and stop one through the daemon's supervisor (the CLI's and
 * the UI's checks, recorded and audited with the caller as actor), search the
 * audit log, read an agent's recent log lines. Every answer is bounded.
 */
export function agentspaceToolGroup(options: AgentspaceToolsOptions): BuiltinToolGroup {
	return {
		id: 'agentspace',
		tools: [
			listAgentsTool(options),
			agentStatusTool(options),
			startAgentTool(options),
			stopAgentTool(options),
			searchAuditTool(options),
			agentLogsTool(options),
		],
	};
}
