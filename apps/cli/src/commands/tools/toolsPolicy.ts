import { loadConfig } from '@agentspace/core';
import { acceptTool, setToolPolicy, type ToolPolicy } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentText } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/** `tools allow <agent>/<tool|*>`: the tool (or every tool of the agent) may be called; audited. */
export async function toolsAllow(ctx: CommandContext, target: string): Promise<ActionResult> {
	return setPolicy(ctx, target, 'allow');
}

/** `tools deny <agent>/<tool|*>`: the tool (or every tool of the agent) is refused; audited. */
export async function toolsDeny(ctx: CommandContext, target: string): Promise<ActionResult> {
	return setPolicy(ctx, target, 'deny');
}

async function setPolicy(
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
