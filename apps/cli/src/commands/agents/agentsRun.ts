import { RESTART_POLICIES, type RestartPolicy, superviseAgent } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import type { ActionResult } from '../../program.js';
import { safe } from './describeAgent.js';

/** Options of `agents run`. */
export interface AgentsRunOptions {
	readonly foreground?: boolean;
	readonly restart?: string;
	readonly unsandboxed?: boolean;
	readonly grace?: string;
}

/**
 * `agents run <id> --foreground`: the supervisor attached to the terminal (for
 * containers and CI). Output is echoed, redacted, as it is logged; Ctrl-C or
 * SIGTERM stops the agent (SIGTERM, then SIGKILL after the grace period) and
 * exits 0 once the stop is recorded.
 */
export async function agentsRun(
	ctx: CommandContext,
	id: string,
	options: AgentsRunOptions,
): Promise<ActionResult> {
	if (options.foreground !== true) {
		throw new AgentSpaceError(
			'background runs need the AgentSpace daemon, which is not in this build yet',
			{
				code: 'USAGE',
				hint: `run it attached to this terminal: agentspace agents run ${id} --foreground`,
			},
		);
	}
	const restart = (options.restart ?? 'no') as RestartPolicy;
	if (!RESTART_POLICIES.includes(restart)) {
		throw new AgentSpaceError(
			`--restart must be one of ${RESTART_POLICIES.join(', ')}, not "${options.restart}"`,
			{
				code: 'USAGE',
				hint: 'e.g. --restart on-failure',
			},
		);
	}
	const graceS = options.grace === undefined ? 5 : Number(options.grace);
	if (!Number.isFinite(graceS) || graceS < 0 || graceS > 3600) {
		throw new AgentSpaceError(
			`--grace must be a number of seconds from 0 to 3600, not "${options.grace}"`,
			{
				code: 'USAGE',
			},
		);
	}
	const db = openExistingHomeDb(ctx.home);
	const { style } = ctx.output;
	try {
		const supervisor = await superviseAgent({
			db,
			home: ctx.home,
			id,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			restart,
			unsandboxed: options.unsandboxed === true,
			env: ctx.env,
			onLine: (stream, text) => {
				if (ctx.json) ctx.output.record({ type: 'line', stream, text });
				else
					ctx.output.line(
						`${stream === 'stderr' ? style.yellow('!') : style.dim('│')} ${safe(text)}`,
					);
			},
			onStatus: (status) => {
				if (ctx.json) return ctx.output.record({ type: status.state, ...status });
				switch (status.state) {
					case 'started':
						ctx.output.note(
							style.dim(
								`started ${safe(id)} (run ${status.runId}, pid ${status.pid}, unsandboxed); log: ${status.logPath}`,
							),
						);
						break;
					case 'ended':
						ctx.output.note(
							style.dim(
								`run ${status.runId} ${status.exit.stopped ? 'stopped' : 'ended'}: ${
									status.exit.signal === null
										? `exit code ${status.exit.exitCode}`
										: `signal ${status.exit.signal}`
								}`,
							),
						);
						break;
					case 'restarting':
						ctx.output.note(
							style.yellow(`restarting in ${status.delayMs} ms (restart ${status.restarts})`),
						);
						break;
					case 'errored':
						ctx.output.note(style.red(`not restarting: ${safe(status.reason)}`));
						break;
				}
			},
		});
		const stop = () => void supervisor.stop(graceS * 1000);
		const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
		for (const signal of signals) process.on(signal, stop);
		try {
			const result = await supervisor.done;
			if (result.errored) {
				throw new AgentSpaceError(`${id} kept crashing and is no longer restarted`, {
					code: 'COMMAND_FAILED',
					hint: `read its logs: agentspace agents logs ${id}`,
				});
			}
			const exit = result.lastExit;
			// A run that ended on its own with an error is a failure for scripts, too.
			if (exit !== undefined && !exit.stopped && (exit.exitCode !== 0 || exit.signal !== null)) {
				throw new AgentSpaceError(
					`${id} ended with ${exit.signal ?? `exit code ${exit.exitCode}`}`,
					{
						code: 'COMMAND_FAILED',
						hint: `read its logs: agentspace agents logs ${id}`,
					},
				);
			}
		} finally {
			for (const signal of signals) process.off(signal, stop);
		}
	} finally {
		db.$client.close();
	}
}
