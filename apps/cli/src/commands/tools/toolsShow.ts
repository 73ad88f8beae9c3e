import { existsSync } from 'node:fs';
import { homePaths, loadConfig, NotFoundError } from '@agentspace/core';
import { annotationWords, getTool, type ToolRow } from '@agentspace/tools';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { driftLines, schemaLines } from './toolDrift.js';
import { agentText, pinLabel, policyLabel, toolJson } from './toolRows.js';
import { parseToolTarget } from './toolTarget.js';

/**
 * `tools show <agent>/<tool>`: one offered tool — its description, input and
 * output schemas, annotations, policy and pin; for a drifted tool, the
 * pinned and the offered definition of each changed field (the drift diff).
 */
export async function toolsShow(ctx: CommandContext, target: string): Promise<ActionResult> {
	const { agentId, tool } = parseToolTarget(target);
	const { securityMode } = loadConfig({ home: ctx.home });
	let row: ToolRow | undefined;
	if (existsSync(homePaths(ctx.home).dbFile)) {
		const db = openExistingHomeDb(ctx.home);
		try {
			row = getTool(db, agentId, tool, securityMode);
		} finally {
			db.$client.close();
		}
	}
	if (row === undefined) {
		throw new NotFoundError(`${agentText(agentId)} offers no tool ${agentText(tool)} now`, {
			hint: `agentspace tools list --agent ${agentText(agentId)} shows what it offers (only while it runs)`,
		});
	}
	const { definition } = row;
	ctx.output.data({
		...toolJson(row),
		inputSchema: definition.inputSchema,
		outputSchema: definition.outputSchema ?? null,
		pin: row.pin ?? null,
		drift: row.drift ?? null,
	});
	const { style } = ctx.output;
	ctx.output.line(style.bold(agentText(`${row.agentId}/${row.name}`)));
	if (definition.title !== undefined)
		ctx.output.line(`  title:        ${agentText(definition.title)}`);
	ctx.output.line(`  description:  ${agentText(definition.description)}`);
	ctx.output.line(`  policy:       ${policyLabel(row, style)}`);
	ctx.output.line(
		`  pin:          ${pinLabel(row, style)}${row.pin === undefined ? '' : style.dim(` ${row.pin.definitionHash.slice(0, 12)} since ${row.pin.pinnedAt}`)}`,
	);
	ctx.output.line(
		`  annotations:  ${annotationWords(row.definition.annotations).join(', ') || '-'}`,
	);
	ctx.output.line(`  run:          ${row.runId}`);
	ctx.output.line('  input schema:');
	for (const line of schemaLines(definition.inputSchema)) ctx.output.line(`    ${line}`);
	if (definition.outputSchema !== undefined) {
		ctx.output.line('  output schema:');
		for (const line of schemaLines(definition.outputSchema)) ctx.output.line(`    ${line}`);
	}
	if (row.drift !== undefined) {
		ctx.output.line();
		for (const line of driftLines(row, style)) ctx.output.line(line);
		ctx.output.line(
			style.dim(
				`Held back until you accept it: agentspace tools accept ${agentText(row.agentId)}/${agentText(row.name)} (in a script: --hash ${definition.definitionHash}, the definition shown here)`,
			),
		);
	}
}
