// @agentspace/tools/call-log: the call log's retention alone, for a host that
// must apply it without loading the rest of the package. The daemon prunes
// the log when it starts and daily; importing pruneToolCalls from the main
// entry brought the MCP SDK and Ajv (the tools service loads them only on its
// first MCP agent or call) into every daemon's start: the CLI's bundler splits
// by file, and the main entry reaches every module of the package.
export type { PruneToolCallsOptions, PruneToolCallsResult } from './pruneToolCalls.js';
export {
	DEFAULT_TOOL_CALL_RETENTION_DAYS,
	MAX_TOOL_CALL_RETENTION_DAYS,
	pruneToolCalls,
} from './pruneToolCalls.js';
