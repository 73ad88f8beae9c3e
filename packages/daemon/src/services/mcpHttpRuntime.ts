// The MCP HTTP endpoint's heavy half: the SDK's Streamable HTTP transport and
// its JSON-RPC schema. The endpoint's service imports this module only when
// `agentspace mcp --http` first asks for it (see toolsRuntime.ts for why).
export { checkJsonRpcMessage, StreamableHTTPServerTransport } from '@agentspace/tools/http';
