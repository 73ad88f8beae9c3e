import type { ActionResult } from '../../action.js';
import { revokeBearerTokenCommand } from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import { MCP_TOKEN_COMMANDS } from './mcpTokenCommandKind.js';

/** `agentspace mcp token revoke <id>`: the endpoint refuses the token from its next request; audited. */
export function mcpTokenRevoke(ctx: CommandContext, tokenId: string): Promise<ActionResult> {
	return revokeBearerTokenCommand(ctx, MCP_TOKEN_COMMANDS, tokenId);
}
