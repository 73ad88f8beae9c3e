import {
	enableAgent,
	formatPermission,
	parsePermission,
	permissionMeaning,
	requireInstalled,
} from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { ask, canPrompt } from '../../interactive.js';
import { safe } from './describeAgent.js';

/** Options of `agents enable`. */
export interface AgentsEnableOptions {
	readonly all?: boolean;
	readonly approve?: string[];
	readonly none?: boolean;
	/** Remember every approved `llm:` permission (no first-use approval in limited-control). */
	readonly remember?: boolean;
}

/** Splits `--approve a,b --approve c` into permission strings. */
function approvals(values: readonly string[]): string[] {
	return values
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter((value) => value !== '');
}

/**
 * Reads a checklist answer: numbers and ranges of the listed permissions
 * (`1,3`, `2-4`), `all`, or `none`. Undefined when the answer is not one.
 */
export function parseChecklistAnswer(answer: string, count: number): number[] | undefined {
	const text = answer.trim().toLowerCase();
	if (text === 'all') return Array.from({ length: count }, (_, i) => i);
	if (text === 'none' || text === '') return [];
	const chosen = new Set<number>();
	for (const part of text.split(/[\s,]+/).filter((p) => p !== '')) {
		const range = /^(\d+)(?:-(\d+))?$/.exec(part);
		if (range === null) return undefined;
		const from = Number(range[1]);
		const to = Number(range[2] ?? range[1]);
		if (from < 1 || to > count || from > to) return undefined;
		for (let n = from; n <= to; n++) chosen.add(n - 1);
	}
	return [...chosen].sort((a, b) => a - b);
}

/**
 * `agents enable <id>`: approves a subset of the requested permissions. Deny
 * by default: with no `--all`, `--approve` or `--none`, a terminal gets a
 * checklist and anything else an error; nothing is ever approved implicitly.
 */
export async function agentsEnable(
	ctx: CommandContext,
	id: string,
	options: AgentsEnableOptions,
): Promise<ActionResult> {
	const chosen = [
		options.all === true,
		options.approve !== undefined,
		options.none === true,
	].filter(Boolean).length;
	if (chosen > 1) {
		throw new AgentSpaceError('choose one of --all, --approve and --none', {
			code: 'USAGE',
			hint: `e.g. agentspace agents enable ${id} --approve filesystem:read:~/notes`,
		});
	}
	const db = openExistingHomeDb(ctx.home);
	try {
		const agent = requireInstalled(db, id);
		const requested = agent.requestedPermissions;
		const { style } = ctx.output;
		let approve: 'all' | string[];
		if (options.all === true) approve = 'all';
		else if (options.none === true) approve = [];
		else if (options.approve !== undefined) approve = approvals(options.approve);
		else if (requested.length === 0) approve = [];
		else if (canPrompt()) {
			const answer = await checklist(agent.id, requested);
			if (answer === undefined) {
				throw new AgentSpaceError(
					'not enabled: no valid choice was made, and nothing was approved',
					{
						code: 'PERMISSION_DENIED',
						hint: 'run again, or pass --all, --approve <p1,p2> or --none',
					},
				);
			}
			approve = answer;
		} else {
			throw new AgentSpaceError(
				`say which permissions of "${agent.id}" to approve: nothing is approved by default`,
				{
					code: 'USAGE',
					hint: `it requests: ${requested.join(', ')}. Pass --all, --approve <p1,p2> or --none`,
				},
			);
		}
		const result = enableAgent({
			db,
			id,
			approve,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(options.remember === true ? { remember: llmApprovals(db, id, approve) } : {}),
		});
		const { audit, ...rest } = result;
		ctx.output.data({ ...rest, auditId: audit.id });
		ctx.output.line(
			`${style.green('✓')} Enabled ${safe(result.id)} with ${result.approved.length} of ${requested.length} requested permissions approved.`,
		);
		for (const p of result.approved)
			ctx.output.line(
				`  ${style.green('✓')} ${safe(p)}${result.remembered.includes(p) ? style.dim(' (remembered)') : ''}`,
			);
		for (const p of result.denied) ctx.output.line(`  ${style.dim(`· ${safe(p)} (not approved)`)}`);
		ctx.output.line(
			style.dim(
				`The approval is bound to this manifest (${result.manifestHash.slice(0, 12)}): a changed manifest needs enabling again. Audited as agents.enabled (entry ${audit.id}).`,
			),
		);
	} finally {
		db.$client.close();
	}
}

async function checklist(id: string, requested: readonly string[]): Promise<string[] | undefined> {
	process.stderr.write(
		`${safe(id)} requests these permissions (nothing is approved unless you choose it):\n`,
	);
	for (const [index, permission] of requested.entries()) {
		const meaning = meaningOf(permission);
		process.stderr.write(
			`  ${String(index + 1).padStart(2)}. ${safe(permission)}${meaning === undefined ? '' : ` — ${meaning}`}\n`,
		);
	}
	for (let attempt = 0; attempt < 3; attempt++) {
		const answer = await ask('Approve which? numbers (e.g. 1,3 or 2-4), "all" or "none": ');
		// Interrupted: not enabled, rather than "none" approved.
		if (answer === undefined) return undefined;
		const indices = parseChecklistAnswer(answer, requested.length);
		if (indices !== undefined) return indices.map((i) => requested[i] as string);
		process.stderr.write(
			`  "${safe(answer)}" is not a choice; use numbers from 1 to ${requested.length}.\n`,
		);
	}
	return undefined;
}

/** What a requested permission lets the agent do, when its string does not say it plainly. */
function meaningOf(text: string): string | undefined {
	const parsed = parsePermission(text, { home: '/', agentDir: '/' });
	return parsed.ok ? permissionMeaning(parsed.value) : undefined;
}

/**
 * The `llm:` permissions `--remember` remembers: every one approved — all the
 * requested ones with `--all`, else those in the approval. Canonical, as
 * enableAgent checks them against what it approves.
 */
function llmApprovals(db: AgentSpaceDb, id: string, approve: 'all' | readonly string[]): string[] {
	const texts = approve === 'all' ? requireInstalled(db, id).requestedPermissions : approve;
	return texts.flatMap((text) => {
		const parsed = parsePermission(text, { home: '/', agentDir: '/' });
		return parsed.ok && parsed.value.domain === 'llm' ? [formatPermission(parsed.value)] : [];
	});
}
