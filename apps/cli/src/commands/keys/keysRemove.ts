import { removeProviderKey } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { openHomeVault } from './openHomeVault.js';

/** `agentspace keys remove <provider>`: the key leaves the vault; audited. */
export async function keysRemove(ctx: CommandContext, provider: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const vault = await openHomeVault(ctx.home);
		const removed = await removeProviderKey(db, vault, {
			provider,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		ctx.output.data({ provider: removed.provider, removed: true, auditId: removed.audit.id });
		ctx.output.line(
			`Removed the ${removed.provider} key: the endpoint no longer serves ${removed.provider}.`,
		);
	} finally {
		db.$client.close();
	}
}
