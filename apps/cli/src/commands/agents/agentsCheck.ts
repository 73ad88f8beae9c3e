import { assertRunnable, formatPermission } from '@agentspace/agents';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { safe } from './describeAgent.js';

/**
 * `agents check <id>`: the launcher's gate, asked in advance. Exits 0 when the
 * agent may run (installed, built when it has build steps, enabled, manifest
 * unchanged since approval); otherwise fails with the launcher's own error.
 */
export async function agentsCheck(ctx: CommandContext, id: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const runnable = assertRunnable(db, id);
		const approved = runnable.approved.map(formatPermission);
		ctx.output.data({
			id: runnable.agent.id,
			runnable: true,
			manifestHash: runnable.manifest.manifestHash,
			approved,
		});
		ctx.output.line(
			`${ctx.output.style.green('✓')} ${safe(runnable.agent.id)} is ready to run with ${approved.length} approved permission${approved.length === 1 ? '' : 's'}.`,
		);
		for (const permission of approved) ctx.output.line(`  ${safe(permission)}`);
	} finally {
		db.$client.close();
	}
}
