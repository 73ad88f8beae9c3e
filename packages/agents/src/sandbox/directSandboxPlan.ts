// What the supervisor and the host's planner share, kept apart from the planner
// so that loading the supervisor never loads the sandbox library.

/** The host's first argument that makes it plan a run without network approval (see sandboxedStart). */
export const PLAN_FLAG = '--plan';

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
