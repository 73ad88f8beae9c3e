// A leaf module: register.ts and mcpHttp.ts both import it, never each other.

/** Options of `agentspace mcp` that choose and shape the HTTP endpoint. */
export interface McpHttpOptions {
	readonly http?: boolean;
	readonly port?: string;
	readonly stop?: boolean;
}

/** Options of `agentspace mcp token` (mint). */
export interface McpTokenOptions {
	readonly expires?: string;
	readonly name?: string;
}

/** True when `agentspace mcp` was asked about HTTP (else it serves stdio). */
export function wantsHttp(options: McpHttpOptions): boolean {
	return options.http === true || options.port !== undefined || options.stop === true;
}
