import { AgentSpaceError, ConflictError, loadConfig, NotFoundError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { acceptTool, getTool } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { canPrompt, confirm } from '../../interactive.js';
import { driftLines } from './toolDrift.js';
import { agentText } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/** Options of `tools accept`. */
export interface ToolsAcceptOptions {
	/** The offered definition's hash the user reviewed (`tools show --json`'s `definitionHash`). */
	readonly hash?: string;
	/** On a terminal: accept the definition shown without asking. */
	readonly yes?: boolean;
}

const DEFINITION_HASH = /^[0-9a-f]{64}$/i;

/**
 * `tools accept <agent>/<tool>`: the drifted tool's offered definition becomes
 * its pin; audited. Only a definition the user saw is accepted — the agent
 * may change it again at any moment: `--hash` names it (scripts), or on a
 * terminal the diff is shown and the user confirms (or passed `--yes`), and
 * the accept is bound to the hash of what was shown. When the agent offers
 * another definition by then, the registry refuses (`CONFLICT`) and nothing
 * changes. Off a terminal without `--hash` it is `USAGE`: nothing to bind to.
 */
export async function toolsAccept(
	ctx: CommandContext,
	target: string,
	options: ToolsAcceptOptions = {},
): Promise<ActionResult> {
	const { agentId, tool } = parseToolTarget(target);
	const named = `${agentText(agentId)}/${agentText(tool)}`;
	let expectedHash = options.hash === undefined ? undefined : parseHash(options.hash);
	if (expectedHash === undefined && !canPrompt()) {
		throw new AgentSpaceError(
			`accepting ${named} off a terminal needs --hash <definitionHash>: the offered definition you reviewed`,
			{
				code: 'USAGE',
				hint: `review it with \`agentspace tools show ${named}\` (its --json prints definitionHash), then run \`agentspace tools accept ${named} --hash <definitionHash>\`; nothing was accepted`,
			},
		);
	}
	const db = openExistingHomeDb(ctx.home);
	try {
		expectedHash ??= await reviewOnTerminal(ctx, db, agentId, tool, options.yes === true);
		const accepted = acceptTool(db, {
			agentId,
			tool,
			expectedHash,
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
			`Accepted the new definition of ${named}: pinned ${accepted.definitionHash.slice(0, 12)} (was ${accepted.previousHash.slice(0, 12)}).`,
		);
	} finally {
		db.$client.close();
	}
}

/** A `--hash` value: 64 hex digits (lower-cased), else `USAGE`. */
function parseHash(value: string): string {
	if (!DEFINITION_HASH.test(value)) {
		throw new AgentSpaceError('--hash must be a definition hash: 64 hexadecimal digits', {
			code: 'USAGE',
			hint: 'copy definitionHash from `agentspace tools show <agent>/<tool> --json`',
		});
	}
	return value.toLowerCase();
}

/**
 * Shows the drifted tool's diff (as `tools show` does) and asks, unless
 * `yes`; returns the hash of the definition shown, which the accept is then
 * bound to. Refuses as the registry would when there is nothing to accept.
 */
async function reviewOnTerminal(
	ctx: CommandContext,
	db: AgentSpaceDb,
	agentId: string,
	tool: string,
	yes: boolean,
): Promise<string> {
	const named = `${agentText(agentId)}/${agentText(tool)}`;
	const { securityMode } = loadConfig({ home: ctx.home });
	const row = getTool(db, agentId, tool, securityMode);
	if (row === undefined) {
		throw new NotFoundError(`${agentText(agentId)} does not offer a tool ${agentText(tool)} now`, {
			hint: `run \`agentspace tools list --agent ${agentText(agentId)}\` to see the tools it offers (an agent offers tools while it runs); nothing was accepted`,
		});
	}
	if (row.state !== 'drifted' || row.drift === undefined) {
		throw new ConflictError(`tool ${named} is not drifted: nothing to accept`, {
			hint: 'only a tool whose definition changed since it was pinned needs accepting; nothing was changed',
		});
	}
	const hash = row.definition.definitionHash;
	// In --json mode the review goes to stderr, so stdout stays one JSON document.
	const show = (text: string) => (ctx.json ? ctx.output.note(text) : ctx.output.line(text));
	const { style } = ctx.output;
	show(style.bold(named));
	for (const line of driftLines(row, style)) show(line);
	show(style.dim(`The agent offers definition ${hash}.`));
	if (!yes && !(await confirm(`Accept this definition of ${named} and pin it?`))) {
		throw new AgentSpaceError('not accepted: you declined, and nothing was changed', {
			code: 'PERMISSION_DENIED',
		});
	}
	return hash;
}
