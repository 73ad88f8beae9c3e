import { AgentSpaceError } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { parseSecondsArg } from '../../parseArgs.js';
import { safe } from './describeAgent.js';
import { stopRunningAgents } from './stopRunningAgents.js';

/** Options of `agents stop`. */
export interface AgentsStopOptions {
	readonly all?: boolean;
	readonly timeout?: string;
}

/**
 * `agents stop <id> | --all`: SIGTERM to the agent's process group, SIGKILL
 * after `--timeout` (default 5 s); the run is recorded as stopped with its exit
 * code or signal. Background runs are stopped by the daemon; a run attached to
 * another terminal (`run --foreground`) is stopped by signalling its
 * supervisor, which stops it with its own `--grace`. An agent that is not
 * running is left as it is (exit 0): stopping is idempotent.
 */
export async function agentsStop(
	ctx: CommandContext,
	id: string | undefined,
	options: AgentsStopOptions,
): Promise<ActionResult> {
	if ((id === undefined) === (options.all !== true)) {
		throw new AgentSpaceError('name one agent, or pass --all', {
			code: 'USAGE',
			hint: 'e.g. agentspace agents stop hello-agent, or agentspace agents stop --all',
		});
	}
	const graceMs =
		(options.timeout === undefined ? 5 : parseSecondsArg('--timeout', options.timeout, 0, 3600)) *
		1000;
	const stopped = await stopRunningAgents(ctx.home, id, graceMs, cliActor());
	ctx.output.data({ stopped });
	if (stopped.length === 0) {
		ctx.output.line(id === undefined ? 'No agent is running.' : `${safe(id)} is not running.`);
		return;
	}
	for (const agent of stopped) {
		const exit = agent.exit;
		ctx.output.line(
			`Stopped ${safe(agent.id)}${agent.runId === null ? '' : ` (run ${agent.runId})`}${
				exit === null
					? ''
					: exit.signal === null
						? `: exit code ${exit.exitCode}`
						: `: ${exit.signal}${exit.killed ? ' after the grace period' : ''}`
			}.`,
		);
	}
}
