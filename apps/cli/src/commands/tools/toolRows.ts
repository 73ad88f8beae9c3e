import type { ToolRow } from '@agentspace/tools';
import { printable, type Styles } from '../../output.js';

/** Text an agent wrote (a tool's name, description, schema), made safe for the terminal and cut to `max` characters. */
export function agentText(text: string | undefined, max = Number.POSITIVE_INFINITY): string {
	if (text === undefined || text === '') return '-';
	const cut = text.length > max ? `${text.slice(0, Math.max(max - 1, 0))}…` : text;
	return printable(cut);
}

/** Where the tool stands against its pin: `pinned`, `drifted` (held back) or `unpinned`. */
export function pinLabel(row: ToolRow, style: Styles): string {
	if (row.state === 'drifted') return style.red('drifted');
	return row.pin === undefined ? style.yellow('unpinned') : 'pinned';
}

/** The effective policy, with where it came from when not the tool's own row. */
export function policyLabel(row: ToolRow, style: Styles): string {
	const text = row.policy === 'allow' ? style.green('allow') : style.red('deny');
	return row.policySource === 'tool' ? text : `${text}${style.dim(` (${row.policySource})`)}`;
}

/** A tool as `tools list --json` and `tools show --json` print it. */
export function toolJson(row: ToolRow) {
	return {
		agent: row.agentId,
		name: row.name,
		target: `${row.agentId}/${row.name}`,
		runId: row.runId,
		title: row.definition.title ?? null,
		description: row.definition.description ?? null,
		annotations: row.definition.annotations ?? {},
		policy: row.policy,
		policySource: row.policySource,
		state: row.state,
		pinned: row.pin !== undefined,
		drifted: row.state === 'drifted',
		callable: row.callable,
		definitionHash: row.definition.definitionHash,
		listedAt: row.listedAt,
	};
}
