import type { ErrorCode } from '@agentspace/core';

/** Who made a tool call: always named, and recorded with the call. */
export interface ToolCaller {
	/** `user` (the CLI or admin UI), `mcp-client` (through `agentspace mcp`), `agent` (another agent's run), `system`. */
	readonly type: 'user' | 'mcp-client' | 'agent' | 'system';
	/** The person, the MCP client's name, the calling agent's run… */
	readonly id: string;
	/** More about the caller (an MCP client's version, the UI session…); bounded and redacted when recorded. */
	readonly detail?: Readonly<Record<string, string>>;
}

/** Every status a recorded call can end in. */
export const TOOL_CALL_STATUSES = [
	'ok',
	'error',
	'denied',
	'invalid',
	'cancelled',
	'timeout',
] as const;

/**
 * How a call ended: `ok`; `error` (the agent answered with an error or an
 * `isError` result, or its result broke the output schema); `denied` (refused
 * before reaching the agent: unknown, not running, drifted or denied tool);
 * `invalid` (arguments broke the input schema, or the schema is unusable);
 * `cancelled` (the caller aborted); `timeout`.
 */
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number];

/** What {@link recordToolCall} is given about one call. */
export interface ToolCallInput {
	/** Generated (`call_…`) when absent. */
	readonly callId?: string;
	/** When the call started (ISO 8601); now when absent. */
	readonly at?: string;
	readonly caller: ToolCaller;
	readonly agentId: string;
	/** The run that served (or would have served) the call; null when there was none. */
	readonly runId?: string | null;
	readonly tool: string;
	/** The full arguments: hashed, and summarised (redacted, bounded); never stored whole. */
	readonly args: unknown;
	readonly status: ToolCallStatus;
	readonly errorCode?: ErrorCode | null;
	/** What happened, in a few words (an error's message…): redacted and bounded with the arguments. */
	readonly note?: string;
	readonly durationMs: number;
}

/** One recorded call, as {@link queryToolCalls} returns it. */
export interface ToolCallRecord {
	readonly callId: string;
	readonly at: string;
	readonly caller: ToolCaller;
	readonly agentId: string;
	readonly runId: string | null;
	readonly tool: string;
	/** sha256 hex of the arguments' canonical JSON: equal arguments, equal hash. */
	readonly argsHash: string;
	/** The arguments and note, redacted and at most {@link MAX_SUMMARY_BYTES} bytes. */
	readonly summary: string;
	readonly status: ToolCallStatus;
	readonly errorCode: string | null;
	readonly durationMs: number;
}

/** The largest summary kept for one call, in UTF-8 bytes. */
export const MAX_SUMMARY_BYTES = 2048;

/** The largest caller detail kept for one call (its JSON), in UTF-8 bytes. */
export const MAX_CALLER_DETAIL_BYTES = 512;
