import { narrowerApprovals, permissionRows, requireAgent } from '@agentspace/agents';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { agentJson, approvalLabel, buildLabel, safe } from './describeAgent.js';

/** `agents info <id>`: everything the catalogue knows about one agent. */
export async function agentsInfo(ctx: CommandContext, id: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	let agent: ReturnType<typeof requireAgent>;
	try {
		agent = requireAgent(db, id);
	} finally {
		db.$client.close();
	}
	ctx.output.data(agentJson(agent));
	const { style } = ctx.output;
	const row = (label: string, value: string) =>
		ctx.output.line(`${style.bold(label.padEnd(12))} ${value}`);
	row('id', safe(agent.id));
	row('name', safe(agent.name));
	row('version', safe(agent.version));
	if (agent.description !== null) row('description', safe(agent.description));
	row('status', safe(agent.status));
	row(
		'build',
		buildLabel(agent, style) + (agent.buildError === null ? '' : ` (${safe(agent.buildError)})`),
	);
	row('approval', approvalLabel(agent, style));
	row('manifest', safe(agent.manifestPath));
	if (agent.installPath !== null) {
		row('checkout', safe(agent.installPath));
		row(
			'commit',
			`${safe(agent.installedCommit)}${agent.installedRef === null ? '' : ` (${safe(agent.installedRef)})`}`,
		);
	}
	if (agent.sourceUrl !== null) row('source', safe(agent.sourceUrl));
	ctx.output.line();
	ctx.output.line(style.bold('Permissions requested'));
	if (agent.requestedPermissions.length === 0) ctx.output.line('  (none)');
	for (const { requested, approved } of permissionRows(agent)) {
		ctx.output.line(
			`  ${approved ? style.green('✓ approved    ') : style.dim('· not approved')} ${safe(requested)}`,
		);
	}
	const narrower = narrowerApprovals(agent);
	if (narrower.length > 0) {
		ctx.output.line(style.bold('Approved (narrower forms, paths resolved)'));
		for (const permission of narrower) ctx.output.line(`  ${style.green('✓')} ${safe(permission)}`);
	}
	if (agent.approval === 'drifted') {
		ctx.output.note(
			`hint: the manifest changed since approval; review it and run \`agentspace agents enable ${agent.id}\``,
		);
	}
}
