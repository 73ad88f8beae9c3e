export type { AgentPaths } from './agentPaths.js';
export { agentPaths } from './agentPaths.js';
export type { BuildOptions, BuildResult } from './build/buildAgent.js';
export { buildAgent } from './build/buildAgent.js';
export type { BuildPlan, BuildStep } from './build/planBuild.js';
export { planBuild } from './build/planBuild.js';
export type { AgentRecord, ApprovalState } from './catalog/agentRecord.js';
export { getAgent, listAgents } from './catalog/agentRecord.js';
export type { BuildState } from './catalog/buildState.js';
export { buildNeeded, buildState } from './catalog/buildState.js';
export { readInstalledManifest } from './catalog/installedManifest.js';
export type { ChangeActor } from './catalog/recordChange.js';
export { recordDenial } from './catalog/recordChange.js';
export { requireAgent, requireInstalled } from './catalog/requireAgent.js';
export type { DiscoverOptions, DiscoveryResult } from './discovery/discoverAgents.js';
export { discoverAgents } from './discovery/discoverAgents.js';
export type {
	DiscoveredManifest,
	IgnoredManifest,
	InvalidManifest,
} from './discovery/discoveredManifest.js';
export { scanRoots } from './discovery/scanRoots.js';
export type { EnableOptions, EnableResult } from './enable/enableAgent.js';
export { enableAgent } from './enable/enableAgent.js';
export type { PermissionReviewRow } from './enable/permissionReview.js';
export { narrowerApprovals, permissionRows } from './enable/permissionReview.js';
export type { RevokeOptions } from './enable/revokeAgent.js';
export { revokeAgent } from './enable/revokeAgent.js';
export type { InstallOptions, InstallResult } from './install/installAgent.js';
export { installAgent } from './install/installAgent.js';
export { validateRef } from './install/installSource.js';
export type { CurrentRun } from './launcher/currentRun.js';
export { currentRuns } from './launcher/currentRun.js';
export type {
	AgentProtocolChannel,
	OnProtocolChannel,
	ProtocolRun,
} from './launcher/protocolChannel.js';
export type { BackoffSettings, RestartPolicy } from './launcher/restartPolicy.js';
export { RESTART_POLICIES } from './launcher/restartPolicy.js';
export { callerVariables } from './launcher/runEnvironment.js';
export type { AgentRun } from './launcher/runHistory.js';
export { runHistory } from './launcher/runHistory.js';
export type { AgentRunStatus } from './launcher/runStatus.js';
export { runStatus } from './launcher/runStatus.js';
export { DEFAULT_STOP_GRACE_MS } from './launcher/startAgentProcess.js';
export type {
	LlmEndpoint,
	RunCredentials,
	SuperviseOptions,
	SupervisionResult,
	Supervisor,
	SupervisorStatus,
} from './launcher/superviseAgent.js';
export { superviseAgent } from './launcher/superviseAgent.js';
export type { AgentToolChannel, OnToolChannel, ToolChannelRun } from './launcher/toolChannel.js';
export { TOOL_CHANNEL_FD, TOOL_CHANNEL_VARIABLE } from './launcher/toolChannel.js';
export type { RunnableAgent } from './lifecycle/assertRunnable.js';
export { assertRunnable } from './lifecycle/assertRunnable.js';
export type { RunSupervisor, SupervisedRuns } from './lifecycle/runSupervisor.js';
export type { StopAgentOptions, StopAgentResult } from './lifecycle/stopAgent.js';
export { stopAgent } from './lifecycle/stopAgent.js';
export type { UninstallOptions } from './lifecycle/uninstallAgent.js';
export { uninstallAgent } from './lifecycle/uninstallAgent.js';
export type { LogEntry, ReadRunLogOptions } from './logs/readRunLog.js';
export { parseLogLines, readRunLog, runLogPath } from './logs/readRunLog.js';
export type { ParsedManifest } from './manifest/parseManifest.js';
export { parseManifest } from './manifest/parseManifest.js';
export { readManifestFile } from './manifest/readManifestFile.js';
export type { AgentProtocol, Manifest } from './manifest/schema.js';
export { AGENT_PROTOCOLS, agentProtocol, ManifestSchema } from './manifest/schema.js';
export { permissionCovers, uncoveredPermissions } from './permissions/covers.js';
export { permissionMeaning } from './permissions/describePermission.js';
export { formatPermission, LLM_PROVIDERS, parsePermission } from './permissions/parsePermission.js';
export { toolCallAllowed, toolCallScopes } from './permissions/toolCallScopes.js';
export type {
	EnvPermission,
	FilesystemPermission,
	LlmPermission,
	NetworkPermission,
	Permission,
	PermissionBases,
	ProcessPermission,
	SecretPermission,
	ToolCallPermission,
} from './permissions/types.js';
export { isProcessAlive } from './process/isProcessAlive.js';
export type { SandboxReadiness } from './sandbox/sandboxReadiness.js';
export { sandboxReadiness } from './sandbox/sandboxReadiness.js';
export type { LostRun, ReconcileOptions } from './supervisor/reconcileRuns.js';
export { reconcileRuns } from './supervisor/reconcileRuns.js';
export type { StoppedAgent, SupervisedAgent } from './supervisor/supervisedAgent.js';
export type { RunRequest, SharedSuperviseOptions } from './supervisor/supervisorRegistry.js';
export { SupervisorRegistry } from './supervisor/supervisorRegistry.js';
