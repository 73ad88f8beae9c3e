export type { DaemonCaller, DaemonConnection, StreamCallOptions } from './daemonClient.js';
export { callDaemon, daemonCaller, isDaemonNotRunning, streamDaemon } from './daemonClient.js';
export type { DaemonMethod, DaemonMethods, DaemonParams, DaemonResults } from './daemonMethods.js';
export { DAEMON_METHODS } from './daemonMethods.js';
export type { DaemonPaths } from './daemonPaths.js';
export { daemonPaths, llmSocketPath } from './daemonPaths.js';
export {
	DEFAULT_MAX_CONNECTIONS,
	DEFAULT_MAX_UPGRADED,
	DEFAULT_REQUEST_TIMEOUT_MS,
} from './daemonServer.js';
export type {
	AnyDaemonService,
	DaemonService,
	DaemonServiceContext,
} from './daemonService.js';
export type { DaemonStream } from './daemonStreamClient.js';
export { openDaemonStream } from './daemonStreamClient.js';
export type { DaemonLauncher, HostedUi, HostedUiFactory, UiOpened } from './hostedUi.js';
export type { HostStatus } from './hostMethods.js';
export type {
	MethodCall,
	MethodHandlers,
	MethodInput,
	MethodParams,
	MethodProgress,
	MethodResult,
	MethodSpec,
	MethodTable,
	UpgradeCall,
	UpgradedConnection,
} from './methodTable.js';
export { method, streamingMethod, upgradeMethod } from './methodTable.js';
export type { DaemonOptions, RunningDaemon } from './runDaemon.js';
export { runDaemon } from './runDaemon.js';
export type { DaemonServicesOptions } from './services/daemonServices.js';
export { daemonServices } from './services/daemonServices.js';
export type { McpHttpStarted, McpHttpStatus } from './services/mcpHttpMethods.js';
export { DEFAULT_MCP_HTTP_PORT, MCP_HTTP_METHODS } from './services/mcpHttpMethods.js';
export type { McpHttpService, McpHttpServiceOptions } from './services/mcpHttpService.js';
export { mcpHttpService } from './services/mcpHttpService.js';
export type { McpConnected, McpStatus } from './services/mcpMethods.js';
export { MCP_METHODS } from './services/mcpMethods.js';
export type { McpService, McpServiceOptions } from './services/mcpService.js';
export { mcpService } from './services/mcpService.js';
export type { SupervisorClosed, SupervisorStatus } from './services/supervisorMethods.js';
export type { McpAgentStatus, ToolsStatus } from './services/toolsMethods.js';
export { TOOLS_METHODS } from './services/toolsMethods.js';
export type { ToolsGateway, ToolsService, ToolsServiceOptions } from './services/toolsService.js';
export { toolsService } from './services/toolsService.js';
export type { UiStatus } from './services/uiMethods.js';
