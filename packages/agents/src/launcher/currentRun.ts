import type { AgentSpaceDb } from '@agentspace/db';

/** The run an agent is recorded as running, and who supervises it. */
export interface CurrentRun {
	readonly agentId: string;
	readonly runId: string;
	readonly pid: number | null;
	/** The daemon's or the foreground CLI's pid (null for runs recorded before it was kept). */
	readonly supervisorPid: number | null;
	readonly startedAt: string;
}

interface Row {
	agent_id: string;
	run_id: string;
	pid: number | null;
	supervisor_pid: number | null;
	started_at: string;
}

/** Every run recorded as running (one per agent at most), oldest first. */
export function currentRuns(db: AgentSpaceDb): CurrentRun[] {
	const rows = db.$client
		.prepare(
			`SELECT r.agent_id, r.run_id, r.pid, r.supervisor_pid, r.started_at
			FROM agents a JOIN agent_runs r ON r.run_id = a.current_run_id
			WHERE r.status = 'running' ORDER BY r.started_at`,
		)
		.all() as Row[];
	return rows.map((row) => ({
		agentId: row.agent_id,
		runId: row.run_id,
		pid: row.pid,
		supervisorPid: row.supervisor_pid,
		startedAt: row.started_at,
	}));
}

/** Whether run `runId` is still recorded as running. */
export function isRunRecordedRunning(db: AgentSpaceDb, runId: string): boolean {
	const row = db.$client.prepare('SELECT status FROM agent_runs WHERE run_id = ?').get(runId) as
		| { status: string }
		| undefined;
	return row?.status === 'running';
}
