// The SDK parts the daemon's MCP HTTP endpoint needs, as their own entry
// point (`@agentspace/tools/http`): the daemon loads them only when it first
// hosts the endpoint, like the rest of the SDK (see the daemon's toolsRuntime).
export { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
export type { JsonRpcBodyCheck } from './jsonRpcMessage.js';
export { checkJsonRpcMessage } from './jsonRpcMessage.js';
