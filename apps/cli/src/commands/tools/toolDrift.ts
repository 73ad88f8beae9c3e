import type { ToolRow } from '@agentspace/tools';
import type { Styles } from '../../output.js';
import { agentText } from './toolRows.js';

/** A definition field as indented JSON lines, each made safe for the terminal. */
export function schemaLines(value: unknown): string[] {
	if (value === undefined) return ['(none)'];
	return JSON.stringify(value, null, 2)
		.split('\n')
		.map((line) => agentText(line));
}

/**
 * A drifted tool's diff as `tools show` and `tools accept` print it: which
 * fields changed, then per field the pinned (`-`) and the offered (`+`)
 * definition. No lines for a tool that is not drifted.
 */
export function driftLines(row: ToolRow, style: Styles): string[] {
	const { drift } = row;
	if (drift === undefined) return [];
	const lines = [style.red(`Drifted: ${drift.changed.join(', ')} changed since it was pinned.`)];
	for (const field of drift.changed) {
		const key = field as keyof ToolRow['definition'];
		lines.push(`  ${field}:`);
		for (const line of schemaLines(drift.pinned[key])) lines.push(style.red(`  - ${line}`));
		for (const line of schemaLines(drift.offered[key])) lines.push(style.green(`  + ${line}`));
	}
	return lines;
}
