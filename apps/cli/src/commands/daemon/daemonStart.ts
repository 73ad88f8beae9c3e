import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { ensureDaemon } from './daemonConnection.js';

/** `daemon start`: starts the daemon in the background; a running one is left as it is. */
export async function daemonStart(ctx: CommandContext): Promise<ActionResult> {
	const { status, started } = await ensureDaemon(ctx.home, ctx.env);
	ctx.output.data({ started, pid: status.pid, socket: status.socket });
	ctx.output.line(
		started
			? `Started the AgentSpace daemon (pid ${status.pid}).`
			: `The AgentSpace daemon is already running (pid ${status.pid}).`,
	);
}
