import type { ActionResult } from '../../action.js';
import { listBearerTokensCommand } from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import { MCP_TOKEN_COMMANDS } from './mcpTokenCommandKind.js';

/** `agentspace mcp token list`: every minted token (never the token itself: it is not stored). */
export function mcpTokenList(ctx: CommandContext): Promise<ActionResult> {
	return listBearerTokensCommand(ctx, MCP_TOKEN_COMMANDS);
}
