import type { RestartPolicy } from '../launcher/restartPolicy.js';
import type { ProcessExit } from '../launcher/startAgentProcess.js';

// The daemon's view of the agents it supervises, in a leaf module: the protocol's results
// and the hosted UI's launcher both name these shapes without importing each other.

/** What the daemon knows about one agent it supervises. */
export interface SupervisedAgent {
	readonly id: string;
	/** `running`, `restarting` (waiting out the backoff) or `stopping`. */
	readonly state: 'running' | 'restarting' | 'stopping';
	readonly runId: string | null;
	readonly pid: number | null;
	readonly sandboxed: boolean;
	readonly restartPolicy: RestartPolicy;
	/** Restarts since this supervision began. */
	readonly restarts: number;
	readonly startedAt: string | null;
	readonly logPath: string | null;
}

/** How a stopped agent's last run ended. */
export interface StoppedAgent {
	readonly id: string;
	readonly runId: string | null;
	readonly exit: ProcessExit | null;
}
