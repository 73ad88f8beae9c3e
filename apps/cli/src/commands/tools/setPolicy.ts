import { loadConfig } from '@agentspace/core';
import { setToolPolicy, type ToolPolicy } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentText } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/** Sets `<agent>/<tool|*>`'s policy as the CLI's user (audited) and says what changed. */
export async function setPolicy(
	ctx: CommandContext,
	target: string,
	policy: ToolPolicy,
): Promise<ActionResult> {
	const { agentId, tool } = parseToolTarget(target, { star: true });
	const db = openExistingHomeDb(ctx.home);
	try {
		const set = setToolPolicy(db, {
			agentId,
			tool,
			policy,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		ctx.output.data({
			agent: set.agentId,
			tool: set.tool,
			policy: set.policy,
			auditId: set.audit.id,
		});
		const what =
			tool === '*'
				? `every tool of ${agentText(agentId)} without a policy of its own`
				: `${agentText(agentId)}/${agentText(tool)}`;
		ctx.output.line(`${policy === 'allow' ? 'Allowed' : 'Denied'} ${what}.`);
		if (
			policy === 'allow' &&
			loadConfig({ home: ctx.home }).securityMode === 'limited-control' &&
			tool === '*'
		)
			ctx.output.note(
				ctx.output.style.dim(
					'this overrides the limited-control default (read-only tools only) for this agent',
				),
			);
	} finally {
		db.$client.close();
	}
}
