import { revokeMcpToken } from '@agentspace/tools/tokens';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** `agentspace mcp token revoke <id>`: the endpoint refuses the token from its next request; audited. */
export async function mcpTokenRevoke(ctx: CommandContext, tokenId: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const revoked = revokeMcpToken(db, { tokenId, actor: cliActor(), sourceApp: CLI_SOURCE_APP });
		ctx.output.data({ tokenId: revoked.tokenId, revoked: true, auditId: revoked.audit.id });
		ctx.output.line(
			`Revoked MCP token ${revoked.tokenId}: the HTTP endpoint refuses it from now on.`,
		);
	} finally {
		db.$client.close();
	}
}
