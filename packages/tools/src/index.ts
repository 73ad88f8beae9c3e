// The public entry of @agentspace/tools: explicit re-exports only (see README).

export type {
	PruneToolCallsOptions,
	PruneToolCallsResult,
} from './callLog/pruneToolCalls.js';
export {
	DEFAULT_TOOL_CALL_RETENTION_DAYS,
	MAX_TOOL_CALL_RETENTION_DAYS,
	pruneToolCalls,
} from './callLog/pruneToolCalls.js';
export type { ToolCallQuery } from './callLog/queryToolCalls.js';
export { MAX_TOOL_CALLS_LIMIT, queryToolCalls } from './callLog/queryToolCalls.js';
export { recordToolCall } from './callLog/recordToolCall.js';
export { ToolCallWriter } from './callLog/toolCallWriter.js';
export type {
	ToolCaller,
	ToolCallInput,
	ToolCallRecord,
	ToolCallStatus,
} from './callLog/types.js';
export { MAX_SUMMARY_BYTES, TOOL_CALL_STATUSES } from './callLog/types.js';
export { callerActor } from './fleet/callerActor.js';
export type { FleetToolsOptions } from './fleet/fleetCommon.js';
export { DEFAULT_FLEET_PROJECT } from './fleet/fleetCommon.js';
export { fleetToolGroup } from './fleet/fleetToolGroup.js';
export type { GatewayCatalogOptions, GatewayTool } from './gateway/gatewayCatalog.js';
export { DEFAULT_CATALOG_POLL_MS, GatewayCatalog } from './gateway/gatewayCatalog.js';
export type { GatewayName } from './gateway/gatewayNames.js';
export { gatewayToolName, MAX_GATEWAY_TOOL_NAME } from './gateway/gatewayNames.js';
export type { GatewayStreamTransportOptions } from './gateway/gatewayStreamTransport.js';
export {
	GATEWAY_MESSAGES_PER_SECOND,
	gatewayStreamTransport,
	MAX_GATEWAY_WRITE_BUFFER,
} from './gateway/gatewayStreamTransport.js';
export { GATEWAY_VERSION } from './gateway/gatewayVersion.js';
export type {
	GatewayClientInfo,
	GatewaySession,
	ServeGatewayOptions,
} from './gateway/serveGateway.js';
export {
	DEFAULT_GATEWAY_CALLS_IN_FLIGHT,
	MAX_GATEWAY_LISTS_PER_SECOND,
	serveGateway,
} from './gateway/serveGateway.js';
export {
	DEFAULT_HANDSHAKE_TIMEOUT_MS,
	DEFAULT_PING_INTERVAL_MS,
	FLOOD_SECONDS_FATAL,
	MAX_GARBAGE_LINES_PER_SECOND,
	MAX_MESSAGE_BYTES,
	MAX_MESSAGE_DEPTH,
	MAX_NOTIFICATIONS_PER_SECOND,
	MAX_SESSION_LOG_LINE,
	MAX_TOOL_DEFINITION_BYTES,
	MAX_TOOL_DEFINITION_DEPTH,
	MAX_TOOL_LIST_PAGES,
	MAX_TOOL_NAME_LENGTH,
	MAX_TOOLS_PER_AGENT,
	MIN_RELIST_INTERVAL_MS,
	PINGS_MISSED_UNHEALTHY,
} from './limits.js';
export type { AcceptToolOptions, AcceptToolResult } from './registry/acceptTool.js';
export { acceptTool } from './registry/acceptTool.js';
export type { AgentToolPolicy } from './registry/agentToolPolicy.js';
export { getAgentToolPolicy } from './registry/agentToolPolicy.js';
export type { ClearAgentToolsOptions, ClearAgentToolsResult } from './registry/clearAgentTools.js';
export { clearAgentTools } from './registry/clearAgentTools.js';
export type {
	ListToolsOptions,
	ToolDrift,
	ToolPolicySource,
	ToolRow,
} from './registry/listTools.js';
export { defaultToolPolicy, getTool, listTools } from './registry/listTools.js';
export type {
	McpServerInfo,
	RecordMcpHandshakeOptions,
	RecordMcpHandshakeResult,
} from './registry/recordMcpHandshake.js';
export { recordMcpHandshake } from './registry/recordMcpHandshake.js';
export type { RecordToolListOptions, RecordToolListResult } from './registry/recordToolList.js';
export { recordToolList } from './registry/recordToolList.js';
export type { ToolPolicy } from './registry/registryInput.js';
export { TOOL_POLICIES } from './registry/registryInput.js';
export type { SetToolPolicyOptions, SetToolPolicyResult } from './registry/setToolPolicy.js';
export { setToolPolicy } from './registry/setToolPolicy.js';
export type {
	BuiltinCallContext,
	BuiltinTool,
	BuiltinToolGroup,
} from './router/builtinTools.js';
export { BUILTIN_GROUP_IDS } from './router/builtinTools.js';
export type {
	RoutableTool,
	RoutedOutcome,
	RoutedSession,
	ToolProgress,
} from './router/routedSession.js';
export type {
	CallToolOptions,
	RoutedToolResult,
	ToolLookup,
	ToolRouterOptions,
} from './router/toolRouter.js';
export {
	DEFAULT_TOOL_CALL_TIMEOUT_MS,
	MAX_TOOL_CALL_TIMEOUT_MS,
	ToolRouter,
} from './router/toolRouter.js';
export type { SchemaCheck } from './router/validateArgs.js';
export { MAX_SCHEMA_BYTES, validateAgainstSchema, validateArgs } from './router/validateArgs.js';
export type {
	ConnectMcpAgentOptions,
	McpAgentChannel,
	McpAgentSession,
	SessionCallOptions,
	ToolCallOutcome,
	ToolCallProgress,
} from './session/connectMcpAgent.js';
export { connectMcpAgent } from './session/connectMcpAgent.js';
export type { MonitorHealthOptions } from './session/healthMonitor.js';
export { monitorHealth } from './session/healthMonitor.js';
export type { ToolCallFailureKind } from './session/toolCallFailure.js';
export { isToolCallFailure, ToolCallFailure } from './session/toolCallFailure.js';
export type { ToolAnnotations, ToolDefinition, ToolDefinitionProblem } from './toolDefinition.js';
export { annotationWords, isToolDefinitionProblem, toolDefinitionOf } from './toolDefinition.js';
