export type { AgentPaths } from './agentPaths.js';
export { AGENT_PROJECT_KEY, agentPaths } from './agentPaths.js';
export type { BoundedLogLimits } from './build/boundedLog.js';
export { BoundedLog, MAX_LOG_LINE_BYTES } from './build/boundedLog.js';
export type { BuildOptions, BuildResult } from './build/buildAgent.js';
export { buildAgent, DEFAULT_BUILD_STEP_TIMEOUT_MS } from './build/buildAgent.js';
export { BUILD_ENV_PASSTHROUGH, buildEnvironment } from './build/buildEnvironment.js';
export type { BuildPlan, BuildStep } from './build/planBuild.js';
export { planBuild } from './build/planBuild.js';
export type { AgentRecord, ApprovalState } from './catalog/agentRecord.js';
export { getAgent, listAgents } from './catalog/agentRecord.js';
export type { BuildState } from './catalog/buildState.js';
export { buildNeeded, buildState } from './catalog/buildState.js';
export { readInstalledManifest } from './catalog/installedManifest.js';
export type {
	AgentChange,
	AgentEventInput,
	ChangeActor,
	RecordedChange,
} from './catalog/recordChange.js';
export { recordChange, recordDenial } from './catalog/recordChange.js';
export { requireAgent, requireInstalled } from './catalog/requireAgent.js';
export type { DiscoverOptions, DiscoveryResult } from './discovery/discoverAgents.js';
export { discoverAgents } from './discovery/discoverAgents.js';
export type {
	DiscoveredManifest,
	IgnoredManifest,
	InvalidManifest,
} from './discovery/discoveredManifest.js';
export type {
	FindManifestsOptions,
	FoundManifests,
	SkippedPath,
} from './discovery/findManifests.js';
export {
	DEFAULT_MAX_DEPTH,
	DEFAULT_MAX_DIRECTORIES,
	findManifests,
	SKIPPED_DIRECTORIES,
} from './discovery/findManifests.js';
export { scanRoots } from './discovery/scanRoots.js';
export { approvalBases } from './enable/approvalBases.js';
export type { EnableOptions, EnableResult } from './enable/enableAgent.js';
export { enableAgent } from './enable/enableAgent.js';
export type { PermissionReviewRow } from './enable/permissionReview.js';
export { narrowerApprovals, permissionRows } from './enable/permissionReview.js';
export type { RevokeOptions } from './enable/revokeAgent.js';
export { revokeAgent } from './enable/revokeAgent.js';
export type { InstallOptions, InstallResult } from './install/installAgent.js';
export { installAgent } from './install/installAgent.js';
export type { InstallSource } from './install/installSource.js';
export { resolveInstallSource, validateRef } from './install/installSource.js';
export type { GitOutput, RunGitOptions } from './install/runGit.js';
export { DEFAULT_GIT_TIMEOUT_MS, gitEnvironment, runGit } from './install/runGit.js';
export type { CurrentRun } from './launcher/currentRun.js';
export { currentRuns, isRunRecordedRunning } from './launcher/currentRun.js';
export type {
	BackoffSettings,
	RestartDecision,
	RestartPolicy,
	RestartState,
} from './launcher/restartPolicy.js';
export {
	DEFAULT_BACKOFF,
	decideRestart,
	INITIAL_RESTART_STATE,
	RESTART_POLICIES,
} from './launcher/restartPolicy.js';
export type { RunEnvironmentInput } from './launcher/runEnvironment.js';
export { callerVariables, runEnvironment, secretVariable } from './launcher/runEnvironment.js';
export type { AgentRun } from './launcher/runHistory.js';
export { runHistory } from './launcher/runHistory.js';
export type { AgentRunStatus } from './launcher/runStatus.js';
export { runStatus } from './launcher/runStatus.js';
export type { AgentProcess, ProcessExit, StartOptions } from './launcher/startAgentProcess.js';
export { DEFAULT_STOP_GRACE_MS, startAgentProcess } from './launcher/startAgentProcess.js';
export type {
	SuperviseOptions,
	SupervisionResult,
	Supervisor,
	SupervisorStatus,
} from './launcher/superviseAgent.js';
export { superviseAgent } from './launcher/superviseAgent.js';
export type { RunnableAgent } from './lifecycle/assertRunnable.js';
export { assertRunnable } from './lifecycle/assertRunnable.js';
export type { RunSupervisor, SupervisedRuns } from './lifecycle/runSupervisor.js';
export type { StopAgentOptions, StopAgentResult } from './lifecycle/stopAgent.js';
export { stopAgent } from './lifecycle/stopAgent.js';
export type { ForegroundRun } from './lifecycle/stopForegroundRun.js';
export { foregroundRuns, stopForegroundRun } from './lifecycle/stopForegroundRun.js';
export type { UninstallOptions } from './lifecycle/uninstallAgent.js';
export { uninstallAgent } from './lifecycle/uninstallAgent.js';
export { LineSplitter } from './logs/lineSplitter.js';
export type { LogEntry, ReadRunLogOptions } from './logs/readRunLog.js';
export { latestRunId, parseLogLines, readRunLog, runLogPath } from './logs/readRunLog.js';
export type { RotationLimits } from './logs/rotatingLog.js';
export { DEFAULT_LOG_KEEP, DEFAULT_LOG_MAX_BYTES, RotatingLog } from './logs/rotatingLog.js';
export type { ParsedManifest } from './manifest/parseManifest.js';
export {
	MANIFEST_FILE,
	MAX_MANIFEST_BYTES,
	parseManifest,
	permissionsHash,
} from './manifest/parseManifest.js';
export { readManifestFile } from './manifest/readManifestFile.js';
export type { Manifest } from './manifest/schema.js';
export { CommandSchema, GitUrlSchema, ManifestSchema } from './manifest/schema.js';
export { permissionCovers, uncoveredPermissions } from './permissions/covers.js';
export { formatPermission, parsePermission } from './permissions/parsePermission.js';
export type {
	EnvPermission,
	FilesystemPermission,
	NetworkPermission,
	Permission,
	PermissionBases,
	ProcessPermission,
	SecretPermission,
} from './permissions/types.js';
export { PERMISSION_ACTIONS } from './permissions/types.js';
export { isProcessAlive } from './process/isProcessAlive.js';
export { isSupervisorAlive } from './process/isSupervisorAlive.js';
export { killProcessGroup } from './process/killProcessGroup.js';
export type { SandboxedCommandInput } from './sandbox/sandboxedCommand.js';
export { sandboxedCommand } from './sandbox/sandboxedCommand.js';
export type { SandboxPolicy, SandboxPolicyInput } from './sandbox/sandboxPolicy.js';
export { sandboxPolicyFor } from './sandbox/sandboxPolicy.js';
export type { SandboxReadiness } from './sandbox/sandboxReadiness.js';
export { sandboxReadiness } from './sandbox/sandboxReadiness.js';
export type { LostRun, ReconcileOptions } from './supervisor/reconcileRuns.js';
export { reconcileRuns } from './supervisor/reconcileRuns.js';
export type { StoppedAgent, SupervisedAgent } from './supervisor/supervisedAgent.js';
export type { RunRequest, SharedSuperviseOptions } from './supervisor/supervisorRegistry.js';
export { SupervisorRegistry } from './supervisor/supervisorRegistry.js';
