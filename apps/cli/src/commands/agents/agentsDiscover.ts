import { discoverAgents, scanRoots } from '@agentspace/agents';
import { expandPath } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import { parseIntArg } from '../../parseArgs.js';
import { safe } from './describeAgent.js';

/** Options of `agents discover`. */
export interface AgentsDiscoverOptions {
	readonly root?: string[];
	readonly maxDepth?: string;
}

/** `agents discover`: scans the roots for manifests and updates the catalogue. Runs no agent code. */
export async function agentsDiscover(
	ctx: CommandContext,
	options: AgentsDiscoverOptions,
): Promise<ActionResult> {
	const maxDepth =
		options.maxDepth === undefined
			? undefined
			: parseIntArg('--max-depth', options.maxDepth, 0, 32);
	const db = openHomeDb(ctx.home);
	try {
		const roots =
			options.root === undefined
				? scanRoots({ home: ctx.home })
				: options.root.map((root) => expandPath(root));
		const result = discoverAgents({
			db,
			home: ctx.home,
			roots,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(maxDepth === undefined ? {} : { maxDepth }),
		});
		const { audit, ...rest } = result;
		ctx.output.data({ ...rest, auditId: audit?.id ?? null });
		const { style } = ctx.output;
		ctx.output.line(
			`Scanned ${result.roots.map((r) => safe(r)).join(', ')} and the installed agents.`,
		);
		for (const root of result.missingRoots)
			ctx.output.line(style.dim(`  (${safe(root)} does not exist)`));
		if (result.agents.length === 0) {
			ctx.output.line('No agent manifests found.');
		} else {
			ctx.output.table(result.agents, [
				{ header: 'ID', value: (a) => safe(a.id) },
				{ header: 'VERSION', value: (a) => safe(a.version) },
				{
					header: 'CHANGE',
					value: (a) =>
						a.outcome === 'new'
							? style.green('new')
							: a.outcome === 'updated'
								? style.yellow('updated')
								: style.dim('unchanged'),
				},
				{ header: 'MANIFEST', value: (a) => safe(a.path) },
			]);
		}
		for (const bad of result.invalid) {
			ctx.output.line(`${style.red('✗')} invalid manifest ${safe(bad.path)}:`);
			for (const error of bad.errors)
				ctx.output.line(`    ${safe(error.path)}: ${safe(error.message)}`);
		}
		for (const other of result.ignored) {
			ctx.output.line(
				style.dim(`  ignored ${safe(other.path)} (id ${safe(other.id)}): ${safe(other.reason)}`),
			);
		}
		for (const skipped of result.skipped) {
			ctx.output.line(style.dim(`  skipped ${safe(skipped.path)}: ${safe(skipped.reason)}`));
		}
		if (result.truncated) {
			ctx.output.line(
				style.yellow(
					'! the scan stopped early: too many directories; narrow the roots (agentspace config set scanRoots …)',
				),
			);
		}
		if (audit !== undefined)
			ctx.output.line(style.dim(`Audited as agents.discovered (entry ${audit.id}).`));
		if (result.invalid.length > 0)
			ctx.output.note(
				`hint: fix the invalid manifests (specs/agent-manifest.md) and run discover again`,
			);
	} finally {
		db.$client.close();
	}
}
