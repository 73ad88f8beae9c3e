export { AgentSpaceChannelError } from './agentSpaceChannelError.js';
export type { ConnectAgentSpaceOptions } from './connectAgentSpace.js';
export { AGENTSPACE_MCP_FD, connectAgentSpace } from './connectAgentSpace.js';
export { SocketTransport } from './socketTransport.js';
