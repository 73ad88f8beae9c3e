// What the supervisor and the host's planner share, kept apart from the planner
// so that loading the supervisor never loads the sandbox library.

/** The host's first argument that makes it plan a run for the supervisor to start itself (see sandboxedStart). */
export const PLAN_FLAG = '--plan';

/** The planner's variable with a network-approved run's proxy socket (see runProxy). */
export const PROXY_SOCKET_VAR = 'AGENTSPACE_PLAN_PROXY_SOCKET';
/** The planner's variable with that run's proxy secret. */
export const PROXY_TOKEN_VAR = 'AGENTSPACE_PLAN_PROXY_TOKEN';

/** The fd the supervisor hands bwrap the seccomp program on. */
export const SECCOMP_FD = 3;

/** What the planner prints (one JSON line): how the supervisor starts bwrap itself. */
export interface DirectSandboxPlan {
	/** bwrap's path. */
	readonly bwrap: string;
	/** bwrap's arguments, the agent's argv at the end. */
	readonly args: readonly string[];
	/** Paths bwrap creates on the host as mount points: removed when the run has ended. */
	readonly mountPoints: readonly string[];
	/** The library's empty directory used as a bind source: removed when the run has ended. */
	readonly scratch: readonly string[];
}
