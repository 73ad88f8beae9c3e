import { revokeKeyToken } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** `agentspace keys token revoke <id>`: the endpoint refuses it from its next request; audited. */
export async function keysTokenRevoke(ctx: CommandContext, tokenId: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const revoked = revokeKeyToken(db, { tokenId, actor: cliActor(), sourceApp: CLI_SOURCE_APP });
		ctx.output.data({ tokenId: revoked.tokenId, revoked: true, auditId: revoked.audit.id });
		ctx.output.line(
			`Revoked key token ${revoked.tokenId}: the LLM endpoint refuses it from now on.`,
		);
	} finally {
		db.$client.close();
	}
}
