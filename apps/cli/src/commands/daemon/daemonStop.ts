import { isProcessAlive } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import { callDaemon } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { parseSecondsArg } from '../../parseArgs.js';
import { daemonStatusOrUndefined, listeningDaemonConnection } from './daemonConnection.js';

/** `daemon stop [--timeout s]`: stops every agent it supervises (recorded as stopped), then the daemon. */
export async function daemonStop(
	ctx: CommandContext,
	options: { readonly timeout?: string },
): Promise<ActionResult> {
	const graceMs =
		(options.timeout === undefined ? 5 : parseSecondsArg('--timeout', options.timeout, 0, 3600)) *
		1000;
	const connection = await listeningDaemonConnection(ctx.home, graceMs + 15_000);
	const status = connection === undefined ? undefined : await daemonStatusOrUndefined(connection);
	if (connection === undefined || status === undefined) {
		ctx.output.data({ stopped: false, running: false, agents: [] });
		ctx.output.line('The AgentSpace daemon is not running.');
		return;
	}
	const { stopped } = await callDaemon(connection, 'shutdown', { graceMs, actor: cliActor() });
	const deadline = Date.now() + 10_000;
	while (isProcessAlive(status.pid) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	if (isProcessAlive(status.pid)) {
		throw new AgentSpaceError(
			`the daemon (pid ${status.pid}) did not exit after stopping its agents`,
			{
				code: 'CONFLICT',
				hint: `kill it: kill ${status.pid}`,
			},
		);
	}
	ctx.output.data({ stopped: true, pid: status.pid, agents: stopped });
	ctx.output.line(
		`Stopped the AgentSpace daemon (pid ${status.pid})${
			stopped.length === 0
				? ''
				: ` and ${stopped.length} agent${stopped.length === 1 ? '' : 's'}: ${stopped.map((a) => a.id).join(', ')}`
		}.`,
	);
}
