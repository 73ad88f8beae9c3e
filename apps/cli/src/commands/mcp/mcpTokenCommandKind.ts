import {
	listMcpTokens,
	mintMcpToken,
	parseMcpTokenLifetime,
	revokeMcpToken,
} from '@agentspace/tools/tokens';
import type { BearerTokenCommandKind } from '../../bearerTokenCommands.js';

/** `agentspace mcp token …`: the MCP HTTP endpoint's tokens, for the shared token commands. */
export const MCP_TOKEN_COMMANDS: BearerTokenCommandKind = {
	label: 'MCP token',
	command: 'agentspace mcp token',
	endpoint: 'the HTTP endpoint',
	usage: [
		'It is shown this once and stored nowhere (only its sha256): put it in the client now, as',
		'  Authorization: Bearer <token>     (agentspace mcp --http serves the endpoint)',
	],
	parseLifetime: parseMcpTokenLifetime,
	mint: mintMcpToken,
	list: (db) => listMcpTokens(db),
	revoke: revokeMcpToken,
};
