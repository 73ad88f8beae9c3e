import { existsSync } from 'node:fs';
import { type AgentRecord, listAgents } from '@agentspace/agents';
import { homePaths } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentJson, approvalLabel, buildLabel, safe } from './describeAgent.js';

/** Options of `agents list`. */
export interface AgentsListOptions {
	readonly all?: boolean;
}

/** `agents list`: the catalogue, one line per agent. */
export async function agentsList(
	ctx: CommandContext,
	options: AgentsListOptions,
): Promise<ActionResult> {
	let agents: AgentRecord[] = [];
	// A home with no database has no agents: listing must not create one.
	if (existsSync(homePaths(ctx.home).dbFile)) {
		const db = openExistingHomeDb(ctx.home);
		try {
			agents = listAgents(db, { includeUninstalled: options.all === true });
		} finally {
			db.$client.close();
		}
	}
	ctx.output.data({ count: agents.length, agents: agents.map(agentJson) });
	if (agents.length === 0) {
		ctx.output.line('No agents in the catalogue.');
		ctx.output.note(
			'hint: `agentspace agents discover` scans ~/Projects; `agentspace agents install <git-url|path>` installs one',
		);
		return;
	}
	const { style } = ctx.output;
	ctx.output.table(agents, [
		{ header: 'ID', value: (a) => safe(a.id) },
		{ header: 'NAME', value: (a) => safe(a.name) },
		{ header: 'VERSION', value: (a) => safe(a.version) },
		{ header: 'STATUS', value: (a) => safe(a.status) },
		{ header: 'BUILD', value: (a) => buildLabel(a, style) },
		{ header: 'APPROVAL', value: (a) => approvalLabel(a, style) },
	]);
}
