import type { Readable, Writable } from 'node:stream';

/**
 * The protocol channel of one run of an agent whose manifest says
 * `"protocol": "mcp"`: its stdin and stdout, sandboxed or not. Given to
 * `onProtocolChannel` once per started run, after the start is recorded.
 */
export interface AgentProtocolChannel {
	/** The agent's stdout: protocol messages from the agent (untrusted bytes; never logged). */
	readonly fromAgent: NodeJS.ReadableStream & Readable;
	/** The agent's stdin: protocol messages to the agent. */
	readonly toAgent: Writable;
	/** Resolves when the run's process has exited (the streams end). */
	readonly closed: Promise<void>;
	/**
	 * Ends the run as failed with `reason` (e.g. 'mcp handshake timed out
	 * after 10 s', 'unhealthy: 3 pings unanswered'): stops it (SIGTERM,
	 * SIGKILL after the grace period), records its end as crashed with that
	 * reason (`agent_run_crashed` + `agents.run_ended`), and the restart
	 * policy applies as to a crash. With `unhealthy`, the run is first
	 * recorded unhealthy (`agent_run_unhealthy` + `agents.run_unhealthy`).
	 * Resolves once the end is recorded; a run that has already ended is not
	 * failed again.
	 */
	fail(reason: string, options?: { readonly unhealthy?: boolean }): Promise<void>;
}

/** Which run a channel belongs to. */
export interface ProtocolRun {
	readonly agentId: string;
	readonly runId: string;
}

/** Told about each started run of an MCP agent and its channel. */
export type OnProtocolChannel = (run: ProtocolRun, channel: AgentProtocolChannel) => void;

/** Why a run was failed through its channel (see AgentProtocolChannel.fail). */
export interface RunFailure {
	readonly reason: string;
	readonly unhealthy: boolean;
}
