import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { currentRuns, isRunRecordedRunning } from '../launcher/currentRun.js';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { isSupervisorAlive } from '../process/isSupervisorAlive.js';
import type { StoppedAgent } from '../supervisor/supervisedAgent.js';

/** A run some process other than the caller supervises (a foreground `agents run`). */
export interface ForegroundRun {
	readonly id: string;
	readonly runId: string;
	readonly supervisorPid: number;
}

/**
 * The runs of `id` (or of every agent) recorded as running whose supervisor
 * is alive, leaving out those `exceptSupervisor` (the daemon) supervises.
 */
export function foregroundRuns(
	db: AgentSpaceDb,
	id: string | undefined,
	exceptSupervisor?: number,
): ForegroundRun[] {
	return currentRuns(db).flatMap((run) =>
		(id === undefined || run.agentId === id) &&
		run.supervisorPid !== null &&
		run.supervisorPid !== exceptSupervisor &&
		isSupervisorAlive(run.supervisorPid)
			? [{ id: run.agentId, runId: run.runId, supervisorPid: run.supervisorPid }]
			: [],
	);
}

/**
 * Asks a foreground supervisor to stop (SIGTERM: it stops the agent with its
 * own grace period) and waits until it has recorded the end. A supervisor
 * already gone (it exited after the caller found it) is already stopped. A
 * supervisor that neither records it nor exits within `graceMs` + 10 s, or
 * exits without recording it, is a `CONFLICT`.
 */
export async function stopForegroundRun(
	db: AgentSpaceDb,
	run: ForegroundRun,
	graceMs: number,
): Promise<StoppedAgent> {
	try {
		process.kill(run.supervisorPid, 'SIGTERM');
	} catch (error) {
		// ESRCH: it exited between the caller's check and this signal — its run
		// ended; whether the end was recorded is what the loop below looks at.
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
	}
	const deadline = Date.now() + graceMs + 10_000;
	while (isRunRecordedRunning(db, run.runId)) {
		if (Date.now() > deadline || !isProcessAlive(run.supervisorPid)) {
			if (!isRunRecordedRunning(db, run.runId)) break;
			throw new AgentSpaceError(
				`${run.id}'s supervisor (pid ${run.supervisorPid}, a foreground \`agents run\`) did not record the stop`,
				{ code: 'CONFLICT', hint: 'see it with: agentspace agents status' },
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return { id: run.id, runId: run.runId, exit: null };
}
