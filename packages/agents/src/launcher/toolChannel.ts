import type { Duplex } from 'node:stream';

/**
 * The descriptor a run approved for `tool:call:` finds its channel to the
 * daemon on. Not 3: a sandboxed run's bwrap reads its seccomp program there
 * (`--seccomp 3`), so the agent would find that number reused, or closed.
 */
export const TOOL_CHANNEL_FD = 4;

/** The variable naming that descriptor in the run's environment. */
export const TOOL_CHANNEL_VARIABLE = 'AGENTSPACE_MCP_FD';

/** Which run a tool channel belongs to, and what it may call. */
export interface ToolChannelRun {
	readonly agentId: string;
	readonly runId: string;
	/** Its approved `tool:call:` scopes, `<agent>/<tool>` (`<tool>` may be `*`); see toolCallAllowed. */
	readonly allowed: readonly string[];
}

/**
 * A run's end of the channel the daemon serves MCP on for it: one end of a
 * Unix socketpair, the other being the agent's descriptor {@link TOOL_CHANNEL_FD}.
 */
export interface AgentToolChannel {
	/** Bytes from and to the agent (untrusted; never logged). */
	readonly stream: Duplex;
	/** Resolves when the run's process has exited. */
	readonly closed: Promise<void>;
}

/** Told about each started run approved for `tool:call:` and its channel. */
export type OnToolChannel = (run: ToolChannelRun, channel: AgentToolChannel) => void;
