export type { DaemonCaller, DaemonConnection } from './daemonClient.js';
export { callDaemon, daemonCaller, isDaemonNotRunning } from './daemonClient.js';
export type { DaemonMethod, DaemonMethods, DaemonParams, DaemonResults } from './daemonMethods.js';
export { DAEMON_METHODS } from './daemonMethods.js';
export type { DaemonPaths } from './daemonPaths.js';
export { daemonPaths } from './daemonPaths.js';
export { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from './daemonServer.js';
export type {
	AnyDaemonService,
	DaemonService,
	DaemonServiceContext,
} from './daemonService.js';
export type { DaemonLauncher, HostedUi, HostedUiFactory, UiOpened } from './hostedUi.js';
export type { HostStatus } from './hostMethods.js';
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
export type { SupervisorClosed, SupervisorStatus } from './services/supervisorMethods.js';
export type { UiStatus } from './services/uiMethods.js';
