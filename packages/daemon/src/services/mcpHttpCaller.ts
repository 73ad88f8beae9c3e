import type { GatewayClientInfo, ToolCaller } from '@agentspace/tools';

// What a client's initialize may put in its caller's id: a name, not an essay (the call log bounds it again).
const MAX_CLIENT_NAME = 100;

/**
 * Who an MCP client session's calls are recorded as, whatever its transport:
 * the client as its initialize named itself (`unknown-client` before, or when
 * it did not), name and version cut to 100 characters, beside `detail`.
 */
export function mcpClientCaller(
	client: GatewayClientInfo | undefined,
	detail: Readonly<Record<string, string>>,
): ToolCaller {
	return {
		type: 'mcp-client',
		id: client?.name.slice(0, MAX_CLIENT_NAME) || 'unknown-client',
		detail: {
			...detail,
			...(client === undefined ? {} : { version: client.version.slice(0, MAX_CLIENT_NAME) }),
		},
	};
}

/**
 * Who an HTTP session's calls are recorded as: the MCP client (see
 * {@link mcpClientCaller}), the transport, and which bearer opened the
 * session (`home` for the home's token, else the minted token's id — never
 * the token).
 */
export function httpCallerOf(client: GatewayClientInfo | undefined, via: string): ToolCaller {
	return mcpClientCaller(client, { transport: 'http', via });
}
