import { readFileSync } from 'node:fs';
import type { AgentSpaceDb } from '@agentspace/db';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { findSandboxedAgent } from '../sandbox/findSandboxedAgent.js';

/** One agent's run state, for `agents status`. */
export interface AgentRunStatus {
	readonly id: string;
	readonly name: string;
	/**
	 * The catalogue status (`running`, `stopped`, `crashed`, …; `unhealthy`
	 * while a run its protocol channel found unhealthy is being stopped).
	 */
	readonly status: string;
	readonly runId: string | null;
	readonly pid: number | null;
	readonly startedAt: string | null;
	readonly uptimeMs: number | null;
	readonly runs: number;
	readonly sandboxed: boolean | null;
	/** For a running agent: whether its process still exists (false: the run was lost, e.g. a killed supervisor). */
	readonly alive: boolean | null;
	/**
	 * The agent's own process, whose figures `cpuMs` and `rssBytes` are: `pid`
	 * itself unsandboxed; inside the sandbox, the process the agent runs in
	 * (`pid` is then its wrapper's). Null when not running, or while the
	 * sandbox is being set up.
	 */
	readonly agentPid: number | null;
	/** CPU time used by the agent's own process so far, ms (Linux /proc; null elsewhere or when not running). */
	readonly cpuMs: number | null;
	/** Resident memory of the agent's own process, bytes (Linux /proc; null elsewhere or when not running). */
	readonly rssBytes: number | null;
	/**
	 * Why its latest run ended (`exited with code 1`, `stopped on request`, a
	 * reason it was failed with, e.g. `mcp handshake timed out after 10 s`);
	 * null while it runs or when it never ran.
	 */
	readonly reason: string | null;
}

interface Row {
	agent_id: string;
	name: string;
	status: string;
	run_count: number;
	run_id: string | null;
	pid: number | null;
	started_at: string | null;
	sandboxed: number | null;
	last_reason: string | null;
}

// Kernel clock ticks per second: 100 on every Linux Node supports.
const TICKS_PER_SECOND = 100;

function processStats(pid: number): { cpuMs: number | null; rssBytes: number | null } {
	try {
		// Fields after the command name (which may contain spaces) start after the last ')'.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
		const rssKb = Number(
			/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1],
		);
		return {
			cpuMs: Number.isFinite(ticks) ? Math.round((ticks / TICKS_PER_SECOND) * 1000) : null,
			rssBytes: Number.isFinite(rssKb) ? rssKb * 1024 : null,
		};
	} catch {
		return { cpuMs: null, rssBytes: null };
	}
}

/**
 * The agent's own process for a run recorded with `pid`. A sandboxed run
 * records its wrapper (bwrap, or the sandbox host), whose figures say nothing
 * of the agent: the agent is the child of the sandbox's innermost init, three
 * pid namespaces down when it runs under the seccomp helper, two when bwrap
 * runs it directly — the deeper is looked for first, as the shallower one's
 * init then exists too.
 */
function agentProcess(pid: number, sandboxed: boolean): number | undefined {
	if (!sandboxed) return pid;
	return (findSandboxedAgent(pid, 3) ?? findSandboxedAgent(pid, 2))?.pid;
}

/** The run state of every installed agent, with live process figures for running ones. */
export function runStatus(db: AgentSpaceDb, now: number = Date.now()): AgentRunStatus[] {
	const rows = db.$client
		.prepare(
			`SELECT a.agent_id, a.name, a.status, a.run_count, r.run_id, r.pid, r.started_at, r.sandboxed,
				(SELECT l.reason FROM agent_runs l WHERE l.agent_id = a.agent_id AND l.status <> 'running'
					ORDER BY l.started_at DESC, l.rowid DESC LIMIT 1) AS last_reason
			FROM agents a LEFT JOIN agent_runs r ON r.run_id = a.current_run_id
			WHERE a.status <> 'uninstalled' ORDER BY a.agent_id`,
		)
		.all() as Row[];
	return rows.map((row) => {
		// An unhealthy run is still running until its stop has ended it.
		const running = (row.status === 'running' || row.status === 'unhealthy') && row.pid !== null;
		const alive = running ? isProcessAlive(row.pid as number) : null;
		const agentPid = alive ? agentProcess(row.pid as number, row.sandboxed === 1) : undefined;
		const stats = agentPid === undefined ? { cpuMs: null, rssBytes: null } : processStats(agentPid);
		return {
			id: row.agent_id,
			name: row.name,
			status: row.status,
			runId: row.run_id,
			pid: running ? row.pid : null,
			startedAt: running ? row.started_at : null,
			uptimeMs:
				running && row.started_at !== null ? Math.max(0, now - Date.parse(row.started_at)) : null,
			runs: row.run_count,
			sandboxed: row.sandboxed === null ? null : row.sandboxed === 1,
			alive,
			agentPid: agentPid ?? null,
			cpuMs: stats.cpuMs,
			rssBytes: stats.rssBytes,
			reason: running ? null : row.last_reason,
		};
	});
}
