import { removeSecret } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { openHomeVault } from '../keys/openHomeVault.js';

/** `agentspace secrets remove <name>`: the value leaves the vault; audited. */
export async function secretsRemove(ctx: CommandContext, name: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const vault = await openHomeVault(ctx.home);
		const removed = await removeSecret(db, vault, {
			name,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		ctx.output.data({ name: removed.name, removed: true, auditId: removed.audit.id });
		ctx.output.line(`Removed secret ${removed.name}.`);
	} finally {
		db.$client.close();
	}
}
