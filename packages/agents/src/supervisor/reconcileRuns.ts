import type { AgentSpaceDb } from '@agentspace/db';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { finishGitGuard } from '../gitGuard/gitGuardRun.js';
import { recheckGitGuards } from '../gitGuard/recheckGitGuards.js';
import type { RestartPolicy } from '../launcher/restartPolicy.js';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { isSupervisorAlive } from '../process/isSupervisorAlive.js';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { processRunId } from '../process/processRunId.js';

/** A run recorded as running whose supervisor is gone. */
export interface LostRun {
	readonly agentId: string;
	readonly runId: string;
	readonly pid: number | null;
	readonly sandboxed: boolean;
	readonly restartPolicy: RestartPolicy;
	/** True when its processes were still running (orphaned) and were stopped. */
	readonly orphanStopped: boolean;
}

/** Options of {@link reconcileRuns}. */
export interface ReconcileOptions {
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	/** Grace between SIGTERM and SIGKILL for an orphaned run (default 2 s). */
	readonly killGraceMs?: number;
	/** The AgentSpace home: given, a lost sandboxed run gets its end-of-run git check (gitGuard/). */
	readonly home?: string;
}

interface RunningRow {
	run_id: string;
	agent_id: string;
	pid: number | null;
	sandboxed: number;
	supervisor_pid: number | null;
	restart_policy: string | null;
}

/**
 * Makes the catalogue true again when a daemon starts: every run recorded as
 * running whose supervisor is gone (a killed daemon, a reboot) is recorded as
 * crashed (`agent_run_crashed`, audited `agents.run_lost`). If its processes
 * still run (an unsandboxed agent outlives its supervisor), they are stopped
 * first: nothing would capture their output or stop them. Runs a live
 * supervisor owns (a foreground `agents run`) are left alone. Returns the lost
 * runs; the daemon starts again those whose restart policy is `always`.
 */
export async function reconcileRuns(
	db: AgentSpaceDb,
	options: ReconcileOptions,
): Promise<LostRun[]> {
	const rows = db.$client
		.prepare(
			`SELECT run_id, agent_id, pid, sandboxed, supervisor_pid, restart_policy
			FROM agent_runs WHERE status = 'running' ORDER BY started_at`,
		)
		.all() as RunningRow[];
	const lost: LostRun[] = [];
	for (const row of rows) {
		if (isSupervisorAlive(row.supervisor_pid)) continue;
		const orphan = row.pid !== null && processRunId(row.pid) === row.run_id;
		if (orphan) await stopOrphan(row.pid as number, options.killGraceMs ?? 2000);
		// The supervisor that should have checked its git directories is gone.
		if (options.home !== undefined) {
			await finishGitGuard({
				db,
				home: options.home,
				agentId: row.agent_id,
				runId: row.run_id,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			});
		}
		const supervisor =
			row.supervisor_pid === null ? 'its supervisor' : `its supervisor (pid ${row.supervisor_pid})`;
		const reason = orphan
			? `lost: ${supervisor} ended without recording the end; its processes were still running and were stopped`
			: `lost: ${supervisor} ended without recording the end, and its process was gone`;
		recordChange(db, {
			actor: options.actor,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			events: [
				{
					type: 'agent_run_crashed',
					fields: {
						agent_id: row.agent_id,
						run_id: row.run_id,
						exit_code: null,
						signal: null,
						reason,
					},
				},
			],
			audit: {
				eventType: 'agents.run_lost',
				agentId: row.agent_id,
				severity: 'warning',
				metadata: {
					runId: row.run_id,
					pid: row.pid,
					supervisorPid: row.supervisor_pid,
					orphanStopped: orphan,
				},
			},
		});
		lost.push({
			agentId: row.agent_id,
			runId: row.run_id,
			pid: row.pid,
			sandboxed: row.sandboxed === 1,
			restartPolicy: (row.restart_policy ?? 'no') as RestartPolicy,
			orphanStopped: orphan,
		});
	}
	// Ended runs whose end-of-run git check was incomplete: checked again.
	if (options.home !== undefined) {
		await recheckGitGuards(db, {
			home: options.home,
			skip: new Set(lost.map((run) => run.runId)),
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	}
	return lost;
}

async function stopOrphan(pid: number, graceMs: number): Promise<void> {
	killProcessGroup(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && isProcessAlive(pid)) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	killProcessGroup(pid, 'SIGKILL');
}
