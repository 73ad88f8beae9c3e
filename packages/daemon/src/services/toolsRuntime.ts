// The tools service's heavy half: the MCP SDK (through connectMcpAgent) and
// Ajv (through the router's schema checks), ~10 MB of the daemon's memory.
// toolsService imports this module only when it first needs it — the first
// MCP agent's channel, the first `tools call` or the first MCP client session
// (`agentspace mcp`) — so a daemon that runs no MCP agent never loads either.
// Keep every value import of those parts here: a static import of one of them
// elsewhere in the daemon brings it back into the daemon's start (the CLI's
// daemon bundle is split on this import).
export {
	clearAgentTools,
	connectMcpAgent,
	fleetToolGroup,
	GatewayCatalog,
	gatewayStreamTransport,
	monitorHealth,
	recordMcpHandshake,
	recordToolList,
	serveGateway,
	ToolRouter,
} from '@agentspace/tools';
