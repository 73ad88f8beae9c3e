import type { AgentSpaceDb } from '@agentspace/db';
import type { ChangeActor } from '../catalog/recordChange.js';
import type { OnProtocolChannel } from './protocolChannel.js';
import type { BackoffSettings, RestartPolicy } from './restartPolicy.js';
import type { ProcessExit } from './startAgentProcess.js';
import type { OnToolChannel } from './toolChannel.js';

// The shapes the parts of a supervision share (pre-checks, one run's start,
// the run's events, the restart loop). A leaf of its own so that those parts
// and `superviseAgent`, which re-exports the public ones, never import each
// other in a circle.

/** Options of `superviseAgent`. */
export interface SuperviseOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly id: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	readonly restart?: RestartPolicy;
	/**
	 * Run without the OS sandbox: only when the user asked for it explicitly;
	 * audited with severity `security` on every start.
	 */
	readonly unsandboxed: boolean;
	/**
	 * The sandbox host's script (see sandboxedCommand): the library's
	 * `dist/sandbox/sandboxHostMain.js` or the CLI's bundle of it. Required
	 * unless `unsandboxed`.
	 */
	readonly sandboxHostScript?: string;
	/** The pid of the process that supervises (this one): recorded on each run for reconciliation. */
	readonly supervisorPid?: number;
	/** The daemon's socket, given to the agent as AGENTSPACE_SOCKET. */
	readonly socketPath?: string;
	/** Where PATH, LANG, TZ and approved variables come from. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	readonly backoff?: BackoffSettings;
	/** Each line of output, redacted, as it is logged. */
	readonly onLine?: (stream: string, text: string) => void;
	/** Told about each start, end and restart decision (for the CLI). */
	readonly onStatus?: (status: SupervisorStatus) => void;
	/**
	 * For an agent whose manifest says `"protocol": "mcp"`: given each started
	 * run's protocol channel (its stdin and stdout), once the start is
	 * recorded. Without it nobody talks to the agent (its stdout is still not
	 * logged). Not called for other agents.
	 */
	readonly onProtocolChannel?: OnProtocolChannel;
	/**
	 * For a run whose approved permissions include a `tool:call:`: given its
	 * end of the channel the agent has as fd 4 (`AGENTSPACE_MCP_FD`), once
	 * the start is recorded, to serve it MCP (the daemon's gateway). Without
	 * it no run gets a descriptor or the variable (`agents run --foreground`).
	 */
	readonly onToolChannel?: OnToolChannel;
	/**
	 * The daemon's LLM endpoint: runs approved for `llm:` get its variables
	 * (AGENTSPACE_LLM_URL, ANTHROPIC_BASE_URL…, their session token as the API
	 * key) and, sandboxed on Linux, a bridge to it. Without it (a foreground
	 * run) no run gets them.
	 */
	readonly llmEndpoint?: LlmEndpoint;
	/**
	 * Registers a run's session token before the process starts; the returned
	 * function is called when the run ends (or fails to start).
	 */
	readonly onRunCredentials?: (run: RunCredentials) => () => void;
	/**
	 * Values of approved `secret:read:` secrets, by name; missing ones are not
	 * passed (the run's log notes which, by name).
	 */
	readonly resolveSecrets?: (names: readonly string[]) => Promise<Readonly<Record<string, string>>>;
}

/** Where the daemon's LLM endpoint listens: TCP on 127.0.0.1, and a Unix socket for sandboxed runs. */
export interface LlmEndpoint {
	readonly port: number;
	readonly socketPath: string;
}

/** What identifies one run to the daemon's endpoints (see SuperviseOptions.onRunCredentials). */
export interface RunCredentials {
	readonly agentId: string;
	readonly runId: string;
	/** The run's AGENTSPACE_SESSION_TOKEN. */
	readonly sessionToken: string;
	/** Its approved `llm:` providers, and whether each was approved with `--remember`. */
	readonly llm: readonly { provider: string; remembered: boolean }[];
}

/** What the supervisor is doing, for display. */
export type SupervisorStatus =
	| {
			readonly state: 'started';
			readonly runId: string;
			readonly pid: number;
			readonly logPath: string;
			readonly sandboxed: boolean;
	  }
	| { readonly state: 'ended'; readonly runId: string; readonly exit: ProcessExit }
	| { readonly state: 'restarting'; readonly delayMs: number; readonly restarts: number }
	| { readonly state: 'errored'; readonly reason: string };

/** How supervision ended. */
export interface SupervisionResult {
	readonly runs: number;
	readonly lastExit: ProcessExit | undefined;
	/** True when the agent crashed too often and is no longer restarted. */
	readonly errored: boolean;
}

/** A running supervision. */
export interface Supervisor {
	/** Stops the current run (SIGTERM, SIGKILL after the grace period) and any restart. */
	stop(graceMs?: number, actor?: ChangeActor): Promise<SupervisionResult>;
	readonly done: Promise<SupervisionResult>;
}

/** The options with their defaults settled once, for every run of one supervision. */
export interface SupervisionContext extends SuperviseOptions {
	readonly sandboxed: boolean;
	readonly policy: RestartPolicy;
	readonly backoff: BackoffSettings;
}
