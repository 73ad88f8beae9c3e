export type { DaemonCaller, DaemonConnection } from './daemonClient.js';
export {
	callDaemon,
	DaemonNotRunningError,
	daemonCaller,
	isDaemonNotRunning,
} from './daemonClient.js';
export type { DaemonMethod, DaemonMethods, DaemonParams, DaemonResults } from './daemonMethods.js';
export { DAEMON_METHODS } from './daemonMethods.js';
export type { DaemonPaths } from './daemonPaths.js';
export { daemonPaths } from './daemonPaths.js';
export type { DaemonResponse } from './daemonProtocol.js';
export { DAEMON_ACTOR } from './daemonProtocol.js';
export { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from './daemonServer.js';
export type {
	AnyDaemonService,
	DaemonService,
	DaemonServiceContext,
} from './daemonService.js';
export type { DaemonLauncher, HostedUi, HostedUiFactory, UiOpened } from './hostedUi.js';
export type { HostStatus } from './hostMethods.js';
export { hostMethods } from './hostMethods.js';
export type {
	MethodHandlers,
	MethodInput,
	MethodParams,
	MethodResult,
	MethodSpec,
	MethodTable,
} from './methodTable.js';
export { method } from './methodTable.js';
export type { DaemonOptions, RunningDaemon } from './runDaemon.js';
export { runDaemon } from './runDaemon.js';
export type { DaemonServicesOptions } from './services/daemonServices.js';
export { daemonServices } from './services/daemonServices.js';
export type {
	SupervisorClosed,
	SupervisorStatus,
} from './services/supervisorMethods.js';
export { SUPERVISOR_METHODS } from './services/supervisorMethods.js';
export type {
	SupervisorService,
	SupervisorServiceOptions,
} from './services/supervisorService.js';
export { supervisorService } from './services/supervisorService.js';
export type { UiStatus } from './services/uiMethods.js';
export { UI_METHODS } from './services/uiMethods.js';
export type { UiServiceOptions } from './services/uiService.js';
export { uiService } from './services/uiService.js';
