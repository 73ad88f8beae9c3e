import { hostMethods } from './hostMethods.js';
import type { MethodInput, MethodResult } from './methodTable.js';
import { KEYS_METHODS, type KeysStatus } from './services/keysMethods.js';
import { MCP_HTTP_METHODS, type McpHttpStatus } from './services/mcpHttpMethods.js';
import { MCP_METHODS, type McpStatus } from './services/mcpMethods.js';
import {
	SUPERVISOR_METHODS,
	type SupervisorClosed,
	type SupervisorStatus,
} from './services/supervisorMethods.js';
import { TOOLS_METHODS, type ToolsStatus } from './services/toolsMethods.js';
import { UI_METHODS, type UiStatus } from './services/uiMethods.js';

/**
 * The methods of the daemon `agentspace daemon` runs: the host's own, the
 * tool router's (`toolsCall`), the supervisor's and the admin UI's — what `callDaemon` is typed by. A
 * service of another package (the tool router, the MCP endpoint, the key
 * proxy) exports its own table; its callers type theirs with `daemonCaller`.
 */
export const DAEMON_METHODS = {
	...hostMethods<
		ToolsStatus & SupervisorStatus & UiStatus & McpStatus & McpHttpStatus & KeysStatus,
		SupervisorClosed
	>(),
	...TOOLS_METHODS,
	...MCP_METHODS,
	...MCP_HTTP_METHODS,
	...SUPERVISOR_METHODS,
	...UI_METHODS,
	...KEYS_METHODS,
};

/** The daemon's method table (see DAEMON_METHODS). */
export type DaemonMethods = typeof DAEMON_METHODS;

/** Every method name. */
export type DaemonMethod = keyof DaemonMethods;

/** The params of each method, as a caller sends them. */
export type DaemonParams = { readonly [M in DaemonMethod]: MethodInput<DaemonMethods, M> };

/** What each method answers. */
export type DaemonResults = { readonly [M in DaemonMethod]: MethodResult<DaemonMethods, M> };
