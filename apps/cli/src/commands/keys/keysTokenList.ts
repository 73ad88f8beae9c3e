import type { ActionResult } from '../../action.js';
import { listBearerTokensCommand } from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import { KEY_TOKEN_COMMANDS } from './keyTokenCommandKind.js';

/** `agentspace keys token list`: every key token (never the token itself). */
export function keysTokenList(ctx: CommandContext): Promise<ActionResult> {
	return listBearerTokensCommand(ctx, KEY_TOKEN_COMMANDS);
}
