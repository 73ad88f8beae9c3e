import type { ChangeActor } from '../catalog/recordChange.js';
import type { StoppedAgent } from '../supervisor/supervisedAgent.js';

// What stopAgent needs of a process that supervises runs (the daemon), in a leaf
// module: the supervisor registry implements it in the daemon's own process, the
// CLI over the daemon's socket, and neither has to know about the other.

/** Who a run supervisor is and what it supervises now. */
export interface SupervisedRuns {
	/** The supervising process: the `supervisor_pid` its runs are recorded with. */
	readonly pid: number;
	/** The agents it supervises now (those it is still starting too). */
	readonly ids: readonly string[];
}

/**
 * A process that supervises agents' runs and stops them on request: the
 * daemon. `stopAgent` stops what it supervises through it, and every
 * other live supervisor's run (a foreground `agents run`) by signalling that
 * supervisor.
 */
export interface RunSupervisor {
	/** Its pid and the agents it supervises, or undefined when it is not running (no daemon). */
	supervised(): SupervisedRuns | undefined | Promise<SupervisedRuns | undefined>;
	/** Stops `id` (SIGTERM, SIGKILL after `graceMs`), recorded as `actor`'s stop. */
	stop(id: string, graceMs: number, actor: ChangeActor): Promise<StoppedAgent>;
	/** Stops every agent it supervises, recorded as `actor`'s stops. */
	stopAll(graceMs: number, actor: ChangeActor): Promise<StoppedAgent[]>;
}
