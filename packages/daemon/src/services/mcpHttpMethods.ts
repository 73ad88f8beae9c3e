import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import { method } from '../methodTable.js';

/** The port `agentspace mcp --http` asks for when given none. */
export const DEFAULT_MCP_HTTP_PORT = 3272;

/** Where the MCP HTTP endpoint listens. */
export interface McpHttpStarted {
	/** `http://127.0.0.1:<port>/mcp` */
	readonly url: string;
	readonly port: number;
	/** False when it was listening on that port already. */
	readonly started: boolean;
}

/** The MCP HTTP endpoint's methods: `agentspace mcp --http [--port N]` and `mcp --http --stop`. */
export const MCP_HTTP_METHODS = {
	mcpHttpStart: method<McpHttpStarted>()(
		z.strictObject({ port: z.int().min(1).max(65_535).optional(), actor: ActorSchema }),
	),
	mcpHttpStop: method<{ readonly closed: boolean }>()(z.strictObject({ actor: ActorSchema })),
};

/** The MCP HTTP endpoint's part of `status`. */
export interface McpHttpStatus {
	/** Its address while the daemon hosts it. */
	readonly mcpHttpUrl: string | null;
	/** Its sessions open now. */
	readonly mcpHttpSessions: number;
}
