import { AgentSpaceError } from '@agentspace/core';

/** Why a tool call produced no result. */
export type ToolCallFailureKind =
	/** The agent answered with a JSON-RPC error (e.g. InvalidParams, unknown tool). */
	| 'error-response'
	/** The agent's answer is not a valid tools/call result. */
	| 'invalid-result'
	/** No answer within the call's timeout (the agent was sent notifications/cancelled). */
	| 'timeout'
	/** The caller's signal aborted the call (the agent was sent notifications/cancelled). */
	| 'cancelled'
	/** The session ended (agent exited, protocol error, closed) before the answer. */
	| 'session-ended';

/**
 * A tool call that ended without a result: `kind` says how, `rpcCode` carries
 * the agent's JSON-RPC error code when it answered with one. A result with
 * `isError: true` is not a failure: it is the tool's own answer (an outcome).
 * Code INTERRUPTED when cancelled, COMMAND_FAILED otherwise.
 */
export class ToolCallFailure extends AgentSpaceError {
	override readonly name = 'ToolCallFailure';
	readonly kind: ToolCallFailureKind;
	readonly rpcCode: number | undefined;

	constructor(
		kind: ToolCallFailureKind,
		message: string,
		options: { readonly hint?: string; readonly rpcCode?: number; readonly cause?: unknown } = {},
	) {
		super(message, {
			code: kind === 'cancelled' ? 'INTERRUPTED' : 'COMMAND_FAILED',
			hint: options.hint,
			cause: options.cause,
		});
		this.kind = kind;
		this.rpcCode = options.rpcCode;
	}
}

/** True when `error` is a {@link ToolCallFailure} (by name and kind: bundles may hold two copies of the class). */
export function isToolCallFailure(error: unknown): error is ToolCallFailure {
	return error instanceof AgentSpaceError && error.name === 'ToolCallFailure' && 'kind' in error;
}
