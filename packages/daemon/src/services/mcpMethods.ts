import { z } from 'zod';
import { upgradeMethod } from '../methodTable.js';

/** What `mcpConnect` answers before the connection carries MCP. */
export interface McpConnected {
	/** The protocol the connection speaks from now on: MCP's newline-delimited JSON-RPC. */
	readonly protocol: 'mcp';
}

/**
 * The MCP endpoint's methods. `mcpConnect` (what `agentspace mcp` sends)
 * turns its connection into an MCP session with the gateway once answered:
 * the client's MCP messages follow the request line on the same connection,
 * the gateway's come back after the answer line.
 */
export const MCP_METHODS = {
	mcpConnect: upgradeMethod<McpConnected>()(
		z.strictObject({
			/** The process the MCP client talks to (`agentspace mcp`), for the daemon's log and the call log. */
			client: z.strictObject({ pid: z.int().min(1).max(2_147_483_647).optional() }),
		}),
	),
};

/** The MCP endpoint's part of `status`. */
export interface McpStatus {
	/** MCP client sessions open now over the daemon's socket (`agentspace mcp`). */
	readonly mcpSessions: number;
}
