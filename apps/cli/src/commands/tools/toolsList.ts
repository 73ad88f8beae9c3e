import { existsSync } from 'node:fs';
import { homePaths, loadConfig } from '@agentspace/core';
import { annotationWords, listTools, type ToolRow } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentText, pinLabel, policyLabel, toolJson } from './toolRows.js';

/** Options of `tools list`. */
export interface ToolsListOptions {
	readonly agent?: string;
}

/**
 * `tools list`: the tools running MCP agents offer, read from the home's
 * registry (no daemon needed): name, agent, effective policy under the
 * config's securityMode, pin state, annotations.
 */
export async function toolsList(
	ctx: CommandContext,
	options: ToolsListOptions,
): Promise<ActionResult> {
	const { securityMode } = loadConfig({ home: ctx.home });
	let rows: ToolRow[] = [];
	// A home with no database offers no tools: listing must not create one.
	if (existsSync(homePaths(ctx.home).dbFile)) {
		const db = openExistingHomeDb(ctx.home);
		try {
			rows = listTools(db, {
				securityMode,
				...(options.agent === undefined ? {} : { agentId: options.agent }),
			});
		} finally {
			db.$client.close();
		}
	}
	ctx.output.data({ count: rows.length, securityMode, tools: rows.map(toolJson) });
	if (rows.length === 0) {
		ctx.output.line(
			options.agent === undefined
				? 'No tools: no MCP agent is running.'
				: `No tools: ${agentText(options.agent)} is not running, or offers none.`,
		);
		ctx.output.note(
			'hint: an agent whose manifest says "protocol": "mcp" offers its tools while it runs: agentspace agents run <id>',
		);
		return;
	}
	const { style } = ctx.output;
	ctx.output.table(rows, [
		{ header: 'TOOL', value: (row) => agentText(`${row.agentId}/${row.name}`, 60) },
		{ header: 'POLICY', value: (row) => policyLabel(row, style) },
		{ header: 'PIN', value: (row) => pinLabel(row, style) },
		{
			header: 'ANNOTATIONS',
			value: (row) => annotationWords(row.definition.annotations).join(',') || style.dim('-'),
		},
		{ header: 'DESCRIPTION', value: (row) => agentText(row.definition.description, 60) },
	]);
	ctx.output.note(
		style.dim(`securityMode ${securityMode}; agentspace tools show <agent>/<tool> for a schema`),
	);
}
