import type { AgentSpaceDb } from '@agentspace/db';
import type { ChangeActor } from '../catalog/recordChange.js';
import { requireAgent } from '../catalog/requireAgent.js';
import type { StoppedAgent } from '../supervisor/supervisedAgent.js';
import type { RunSupervisor } from './runSupervisor.js';
import { foregroundRuns, stopForegroundRun } from './stopForegroundRun.js';

/** Options of {@link stopAgent}: one agent (`id`) or every agent (`all`). */
export type StopAgentOptions = StopAgentCommon &
	({ readonly id: string; readonly all?: never } | { readonly all: true; readonly id?: never });

/** What {@link stopAgent} needs whichever agents it stops. */
export interface StopAgentCommon {
	/** The home's database: the catalogue and the runs recorded as running. */
	readonly db: AgentSpaceDb;
	/**
	 * The daemon's supervisor, when there may be one: the runs it supervises
	 * are stopped through it. Without one, only foreground runs are stopped.
	 */
	readonly supervisor?: RunSupervisor;
	/** SIGTERM first, SIGKILL after this long (a foreground supervisor uses its own `--grace`). */
	readonly graceMs: number;
	/** Who stops it: the supervisor records the stop as theirs. */
	readonly actor: ChangeActor;
}

/** What {@link stopAgent} stopped, in order: the supervisor's runs, then the foreground ones. */
export type StopAgentResult = StoppedAgent[];

/**
 * Stops an agent (or every agent) wherever it runs: a run `supervisor` (the
 * daemon) supervises through it, which records the stop as `actor`'s; a run
 * another process supervises (`agents run --foreground`) by signalling that
 * supervisor (`stopForegroundRun`), which stops it with its own grace period
 * and records the end itself. Returns what was stopped — nothing when nothing
 * ran: stopping is idempotent. An id not in the catalogue is `NOT_FOUND`.
 */
export async function stopAgent(options: StopAgentOptions): Promise<StopAgentResult> {
	const { db, supervisor, graceMs, actor } = options;
	const id = options.all === true ? undefined : options.id;
	if (id !== undefined) requireAgent(db, id);
	// Read before the supervisor is asked: a run it starts meanwhile is recorded
	// with its pid, and left out below by that pid.
	const recorded = foregroundRuns(db, id);
	const supervised = await supervisor?.supervised();
	const supervisedIds = new Set(supervised?.ids ?? []);
	const stopped: StoppedAgent[] = [];
	if (supervisor !== undefined && supervised !== undefined) {
		if (id === undefined) stopped.push(...(await supervisor.stopAll(graceMs, actor)));
		else if (supervisedIds.has(id)) stopped.push(await supervisor.stop(id, graceMs, actor));
	}
	// Never signal the supervisor itself: the daemon (and a UI it hosts) is that pid.
	const foreground = recorded.filter(
		(run) => !supervisedIds.has(run.id) && run.supervisorPid !== supervised?.pid,
	);
	for (const run of foreground) stopped.push(await stopForegroundRun(db, run, graceMs));
	return stopped;
}
