import { agentPaths, requireAgent, uninstallAgent } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { canPrompt, confirm } from '../../interactive.js';
import { safe } from './describeAgent.js';

/** Options of `agents uninstall`. */
export interface AgentsUninstallOptions {
	readonly yes?: boolean;
}

/** `agents uninstall <id>`: removes the checkout; the events, audit entries and logs stay. */
export async function agentsUninstall(
	ctx: CommandContext,
	id: string,
	options: AgentsUninstallOptions,
): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const agent = requireAgent(db, id);
		if (options.yes !== true && agent.installPath !== null) {
			if (!canPrompt()) {
				throw new AgentSpaceError(
					`uninstalling deletes ${agentPaths(ctx.home, agent.id).root} and needs your confirmation`,
					{
						code: 'PERMISSION_DENIED',
						hint: `run again with --yes: agentspace agents uninstall ${id} --yes`,
					},
				);
			}
			const root = agentPaths(ctx.home, agent.id).root;
			if (
				!(await confirm(
					`Delete ${safe(root)} (checkout and build files) and uninstall ${safe(id)}?`,
				))
			) {
				throw new AgentSpaceError('not uninstalled: you declined', { code: 'PERMISSION_DENIED' });
			}
		}
		const result = uninstallAgent({
			db,
			home: ctx.home,
			id,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		const { audit, ...rest } = result;
		ctx.output.data({ ...rest, auditId: audit.id });
		ctx.output.line(
			`${ctx.output.style.green('✓')} Uninstalled ${safe(result.id)}: removed ${safe(result.removed)}.`,
		);
		ctx.output.line(
			ctx.output.style.dim(
				`Its history stays in the event and audit logs. Audited as agents.uninstalled (entry ${audit.id}).`,
			),
		);
	} finally {
		db.$client.close();
	}
}
