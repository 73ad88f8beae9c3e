import { DEFAULT_STOP_GRACE_MS, revokeAgent, type StoppedAgent } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { safe } from './describeAgent.js';
import { stopRunningAgents } from './stopRunningAgents.js';

/** Options of `agents revoke`. */
export interface AgentsRevokeOptions {
	readonly reason?: string;
}

/**
 * `agents revoke <id>`: withdraws the approval, then stops the agent if it
 * runs — a run keeps no permission it was granted once the approval is gone.
 * The revoke comes first, so no restart or new run can start meanwhile; the
 * stop is recorded as the revoker's. The agent cannot run until enabled again.
 */
export async function agentsRevoke(
	ctx: CommandContext,
	id: string,
	options: AgentsRevokeOptions,
): Promise<ActionResult> {
	const actor = cliActor();
	const db = openExistingHomeDb(ctx.home);
	let result: ReturnType<typeof revokeAgent>;
	try {
		result = revokeAgent({
			db,
			id,
			actor,
			sourceApp: CLI_SOURCE_APP,
			...(options.reason === undefined ? {} : { reason: options.reason }),
		});
	} finally {
		db.$client.close();
	}
	const { audit, ...rest } = result;
	let stopped: StoppedAgent[];
	try {
		stopped = await stopRunningAgents(ctx.home, result.id, DEFAULT_STOP_GRACE_MS, actor);
	} catch (error) {
		throw new AgentSpaceError(
			`revoked ${result.id}'s approval (audit entry ${audit.id}), but could not stop its run: ${(error as Error).message}`,
			{
				code: 'COMMAND_FAILED',
				hint: `stop it: agentspace agents stop ${result.id} (it cannot be restarted or run again until enabled)`,
				cause: error,
			},
		);
	}
	ctx.output.data({ ...rest, auditId: audit.id, stopped });
	ctx.output.line(
		`${ctx.output.style.green('✓')} Revoked ${safe(result.id)}: ${result.revoked.length} approved permissions withdrawn. It cannot run until enabled again.`,
	);
	for (const run of stopped) {
		ctx.output.line(
			`Stopped ${safe(run.id)}${run.runId === null ? '' : ` (run ${run.runId})`}: its approval was withdrawn.`,
		);
	}
	ctx.output.line(ctx.output.style.dim(`Audited as agents.revoked (entry ${audit.id}).`));
}
