import { revokeAgent } from '@agentspace/agents';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import type { ActionResult } from '../../program.js';
import { safe } from './describeAgent.js';

/** Options of `agents revoke`. */
export interface AgentsRevokeOptions {
	readonly reason?: string;
}

/** `agents revoke <id>`: withdraws the approval; the agent cannot run until enabled again. */
export async function agentsRevoke(
	ctx: CommandContext,
	id: string,
	options: AgentsRevokeOptions,
): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const result = revokeAgent({
			db,
			id,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(options.reason === undefined ? {} : { reason: options.reason }),
		});
		const { audit, ...rest } = result;
		ctx.output.data({ ...rest, auditId: audit.id });
		ctx.output.line(
			`${ctx.output.style.green('✓')} Revoked ${safe(result.id)}: ${result.revoked.length} approved permissions withdrawn. It cannot run until enabled again.`,
		);
		ctx.output.line(ctx.output.style.dim(`Audited as agents.revoked (entry ${audit.id}).`));
	} finally {
		db.$client.close();
	}
}
