import { acceptTool } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentText } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/** `tools accept <agent>/<tool>`: the drifted tool's offered definition becomes its pin; audited. */
export async function toolsAccept(ctx: CommandContext, target: string): Promise<ActionResult> {
	const { agentId, tool } = parseToolTarget(target);
	const db = openExistingHomeDb(ctx.home);
	try {
		const accepted = acceptTool(db, {
			agentId,
			tool,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		ctx.output.data({
			agent: accepted.agentId,
			tool: accepted.tool,
			definitionHash: accepted.definitionHash,
			previousHash: accepted.previousHash,
			auditId: accepted.audit.id,
		});
		ctx.output.line(
			`Accepted the new definition of ${agentText(agentId)}/${agentText(tool)}: pinned ${accepted.definitionHash.slice(0, 12)} (was ${accepted.previousHash.slice(0, 12)}).`,
		);
	} finally {
		db.$client.close();
	}
}
