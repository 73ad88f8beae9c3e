import { daemonPaths } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { printable } from '../../output.js';
import { daemonStatusOrUndefined, listeningDaemonConnection } from './daemonConnection.js';

/** `daemon status`: whether the daemon runs, its pid, memory and the agents it supervises. */
export async function daemonStatus(ctx: CommandContext): Promise<ActionResult> {
	const connection = await listeningDaemonConnection(ctx.home);
	const status = connection === undefined ? undefined : await daemonStatusOrUndefined(connection);
	if (status === undefined) {
		ctx.output.data({ running: false, socket: daemonPaths(ctx.home).socket });
		ctx.output.line('The AgentSpace daemon is not running (start it: agentspace daemon start).');
		return;
	}
	ctx.output.data({ running: true, ...status });
	const uptime = Math.round((Date.now() - Date.parse(status.startedAt)) / 1000);
	ctx.output.line(`The AgentSpace daemon is running (pid ${status.pid}, up ${uptime} s).`);
	ctx.output.line(`  socket: ${status.socket}`);
	ctx.output.line(`  web UI: ${status.uiUrl ?? 'not open (agentspace ui)'}`);
	ctx.output.line(
		`  MCP HTTP: ${status.mcpHttpUrl === null ? 'not serving (agentspace mcp --http)' : `${status.mcpHttpUrl} (${status.mcpHttpSessions} sessions)`}`,
	);
	// A daemon started by an AgentSpace from before the LLM endpoint has none to report.
	const llm = status.llmEndpoint as typeof status.llmEndpoint | undefined;
	ctx.output.line(
		`  LLM:    ${
			llm === undefined
				? 'unknown (a daemon older than this agentspace: agentspace daemon stop && agentspace daemon start)'
				: llm.state === 'serving'
					? `${llm.url} (serving, ${llm.requests} requests${llm.pending === 0 ? '' : `, ${llm.pending} waiting for approval: agentspace keys pending`})`
					: `${llm.url} ${llm.state}${llm.reason === undefined ? '' : `: ${printable(llm.reason)}`}`
		}`,
	);
	ctx.output.line(`  memory: ${(status.rssBytes / 1024 / 1024).toFixed(1)} MB RSS`);
	ctx.output.line(
		`  agents: ${status.agents.length === 0 ? 'none' : status.agents.map((a) => `${a.id} (${a.state})`).join(', ')}`,
	);
	// The server name and version are the agent's own words: escaped.
	ctx.output.line(
		`  MCP:    ${
			status.mcpAgents.length === 0
				? 'no MCP agent connected'
				: status.mcpAgents
						.map(
							(a) =>
								`${a.id} (${printable(`${a.server.name} ${a.server.version}`.slice(0, 80))}, ${a.tools} tools, ${a.health})`,
						)
						.join(', ')
		}`,
	);
}
