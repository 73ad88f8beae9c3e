// The MCP HTTP endpoint's bearer tokens, as their own entry point
// (`@agentspace/tools/tokens`): the CLI's `mcp token` and the daemon's
// endpoint load them without the MCP SDK or Ajv.
export type { McpTokenInfo } from './listMcpTokens.js';
export { listMcpTokens } from './listMcpTokens.js';
export { MCP_TOKEN_PREFIX } from './mcpTokenFormat.js';
export {
	DEFAULT_MCP_TOKEN_LIFETIME_MS,
	MAX_MCP_TOKEN_LIFETIME_MS,
	parseMcpTokenLifetime,
} from './mcpTokenLifetime.js';
export { mcpTokenUsable } from './mcpTokenUsable.js';
export type { MintedMcpToken, MintMcpTokenOptions } from './mintMcpToken.js';
export { MAX_ACTIVE_MCP_TOKENS, mintMcpToken } from './mintMcpToken.js';
export type { RevokeMcpTokenOptions } from './revokeMcpToken.js';
export { revokeMcpToken } from './revokeMcpToken.js';
export type { McpTokenCheck, McpTokenRefusal, VerifyMcpTokenOptions } from './verifyMcpToken.js';
export { verifyMcpToken } from './verifyMcpToken.js';
