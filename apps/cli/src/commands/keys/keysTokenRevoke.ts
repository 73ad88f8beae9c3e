import type { ActionResult } from '../../action.js';
import { revokeBearerTokenCommand } from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import { KEY_TOKEN_COMMANDS } from './keyTokenCommandKind.js';

/** `agentspace keys token revoke <id>`: the endpoint refuses it from its next request; audited. */
export function keysTokenRevoke(ctx: CommandContext, tokenId: string): Promise<ActionResult> {
	return revokeBearerTokenCommand(ctx, KEY_TOKEN_COMMANDS, tokenId);
}
