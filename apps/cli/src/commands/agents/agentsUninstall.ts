import { requireAgent, uninstallAgent } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { ExitCode } from '../../exitCodes.js';
import { openHomeDb } from '../../homeDb.js';
import { canPrompt, confirm } from '../../interactive.js';
import type { ActionResult } from '../../program.js';
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
	const db = openHomeDb(ctx.home);
	try {
		const agent = requireAgent(db, id);
		if (options.yes !== true && agent.installPath !== null) {
			if (!canPrompt()) {
				throw new AgentSpaceError(
					`uninstalling deletes ${agent.installPath} and needs your confirmation`,
					{
						code: 'PERMISSION_DENIED',
						hint: `run again with --yes: agentspace agents uninstall ${id} --yes`,
					},
				);
			}
			if (!(await confirm(`Delete ${safe(agent.installPath)} and uninstall ${safe(id)}?`))) {
				ctx.output.note('Not uninstalled.');
				return ExitCode.Denied;
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
