import { existsSync } from 'node:fs';
import { AgentSpaceError } from '@agentspace/core';
import { callDaemon, DEFAULT_MCP_HTTP_PORT, daemonPaths } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { parseIntArg } from '../../parseArgs.js';
import {
	daemonConnection,
	daemonStatusOrUndefined,
	ensureDaemon,
} from '../daemon/daemonConnection.js';
import type { McpHttpOptions } from './mcpHttpOptions.js';

/**
 * `agentspace mcp --http [--port N]`: asks the daemon (started when needed)
 * to serve MCP Streamable HTTP on 127.0.0.1:port/mcp, prints the address, how
 * to get a token and a client's configuration entry, and exits (the daemon
 * keeps serving, as for `agentspace ui`). `--stop`: stops serving it.
 */
export async function mcpHttp(ctx: CommandContext, options: McpHttpOptions): Promise<ActionResult> {
	if (options.http !== true) {
		throw new AgentSpaceError('--port and --stop go with --http', {
			code: 'USAGE',
			hint: 'agentspace mcp --http --port 3272, or agentspace mcp --http --stop',
		});
	}
	if (options.stop === true) {
		if (options.port !== undefined) {
			throw new AgentSpaceError('--stop and --port do not go together', {
				code: 'USAGE',
				hint: 'agentspace mcp --http --stop',
			});
		}
		return stopHttp(ctx);
	}
	const port =
		options.port === undefined
			? DEFAULT_MCP_HTTP_PORT
			: parseIntArg('--port', options.port, 1, 65_535);
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	if (started)
		ctx.output.note(ctx.output.style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	const serving = await callDaemon(connection, 'mcpHttpStart', { port, actor: cliActor() });
	ctx.output.data(serving);
	const { style } = ctx.output;
	const entry = JSON.stringify({
		mcpServers: {
			agentspace: { url: serving.url, headers: { Authorization: 'Bearer <token>' } },
		},
	});
	ctx.output.line(`AgentSpace MCP endpoint (Streamable HTTP): ${style.bold(serving.url)}`);
	ctx.output.line('Every request needs a bearer token (Authorization: Bearer <token>); mint one:');
	ctx.output.line('  agentspace mcp token --name <client> --expires 30d');
	ctx.output.line("A client's configuration entry (e.g. Cursor's mcp.json):");
	ctx.output.line(`  ${entry}`);
	ctx.output.line(style.dim('Stop serving it: agentspace mcp --http --stop'));
}

async function stopHttp(ctx: CommandContext): Promise<ActionResult> {
	const running = existsSync(daemonPaths(ctx.home).socket);
	const connection = running ? await daemonConnection(ctx.home) : undefined;
	if (connection === undefined || (await daemonStatusOrUndefined(connection)) === undefined) {
		ctx.output.data({ closed: false });
		ctx.output.line('The MCP HTTP endpoint is not open (the daemon is not running).');
		return;
	}
	const { closed } = await callDaemon(connection, 'mcpHttpStop', { actor: cliActor() });
	ctx.output.data({ closed });
	ctx.output.line(
		closed ? 'Stopped the MCP HTTP endpoint.' : 'The MCP HTTP endpoint was not open.',
	);
}
