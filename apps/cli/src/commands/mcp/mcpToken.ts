import type { ActionResult } from '../../action.js';
import { mintBearerTokenCommand } from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import type { McpTokenOptions } from './mcpHttpOptions.js';
import { MCP_TOKEN_COMMANDS } from './mcpTokenCommandKind.js';

/**
 * `agentspace mcp token [--expires 24h] [--name NAME]`: mints a bearer token
 * for the MCP HTTP endpoint and prints it once — only its sha256 is kept
 * (mcp_token_minted, audited), so it cannot be shown again.
 */
export function mcpToken(ctx: CommandContext, options: McpTokenOptions): Promise<ActionResult> {
	return mintBearerTokenCommand(ctx, MCP_TOKEN_COMMANDS, options);
}
