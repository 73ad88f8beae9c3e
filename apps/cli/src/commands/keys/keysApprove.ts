import { AgentSpaceError } from '@agentspace/core';
import { callDaemon } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { safe } from '../agents/describeAgent.js';
import { daemonStatusOrUndefined, listeningDaemonConnection } from '../daemon/daemonConnection.js';

/** Options of `keys approve`. */
export interface KeysApproveOptions {
	readonly deny?: boolean;
}

/**
 * `agentspace keys approve <agent> <provider> [--deny]`: answers the
 * pending first use of `provider` by `agent`'s run (limited-control): its
 * waiting requests go on (approved for the rest of the run) or are refused
 * with 403 (denied for the rest of the run). Audited `llm_use_approved` /
 * `llm_use_denied` with the person at the CLI as the actor.
 */
export async function keysApprove(
	ctx: CommandContext,
	agent: string,
	provider: string,
	options: KeysApproveOptions,
): Promise<ActionResult> {
	const connection = await listeningDaemonConnection(ctx.home);
	if (connection === undefined || (await daemonStatusOrUndefined(connection)) === undefined) {
		throw new AgentSpaceError('the AgentSpace daemon is not running: nothing waits for approval', {
			code: 'NOT_FOUND',
			hint: 'runs ask for approval through the daemon: agentspace agents run <agent>',
		});
	}
	const decision = await callDaemon(connection, 'keysApprove', {
		agentId: agent,
		provider,
		deny: options.deny === true,
		actor: cliActor(),
	});
	ctx.output.data(decision);
	const { style } = ctx.output;
	ctx.output.line(
		decision.decision === 'approved'
			? `Approved ${decision.provider} for ${safe(decision.agentId)} (run ${decision.runs.join(', ')}) for the rest of the run.`
			: `${style.yellow('Denied')} ${decision.provider} to ${safe(decision.agentId)} (run ${decision.runs.join(', ')}) for the rest of the run.`,
	);
	if (decision.decision === 'approved') {
		ctx.output.line(
			style.dim(
				`never ask again for this agent: agentspace agents enable ${safe(decision.agentId)} --remember`,
			),
		);
	}
}
