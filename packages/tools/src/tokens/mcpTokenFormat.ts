/** Every minted token starts with this, so a leaked one is recognisable (and scannable). */
export const MCP_TOKEN_PREFIX = 'asmcp_';
