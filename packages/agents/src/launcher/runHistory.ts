import type { AgentSpaceDb } from '@agentspace/db';

/** One past or current run of an agent, from the `agent_runs` projection. */
export interface AgentRun {
	readonly runId: string;
	/** `running`, `stopped`, `exited`, `crashed`, … */
	readonly status: string;
	readonly pid: number | null;
	readonly sandboxed: boolean;
	readonly startedAt: string;
	readonly endedAt: string | null;
	readonly exitCode: number | null;
	readonly signal: string | null;
	readonly reason: string | null;
	readonly restartPolicy: string | null;
}

interface Row {
	run_id: string;
	status: string;
	pid: number | null;
	sandboxed: number;
	started_at: string;
	ended_at: string | null;
	exit_code: number | null;
	signal: string | null;
	reason: string | null;
	restart_policy: string | null;
}

/** The agent's latest runs, newest first (at most `limit`). */
export function runHistory(db: AgentSpaceDb, agentId: string, limit = 20): AgentRun[] {
	const rows = db.$client
		.prepare(
			`SELECT run_id, status, pid, sandboxed, started_at, ended_at, exit_code, signal, reason, restart_policy
			FROM agent_runs WHERE agent_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`,
		)
		.all(agentId, limit) as Row[];
	return rows.map((row) => ({
		runId: row.run_id,
		status: row.status,
		pid: row.pid,
		sandboxed: row.sandboxed === 1,
		startedAt: row.started_at,
		endedAt: row.ended_at,
		exitCode: row.exit_code,
		signal: row.signal,
		reason: row.reason,
		restartPolicy: row.restart_policy,
	}));
}
