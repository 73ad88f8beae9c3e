import { existsSync } from 'node:fs';
import { type AgentRunStatus, runStatus, type SupervisedAgent } from '@agentspace/agents';
import { homePaths } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { daemonConnection, daemonStatusOrUndefined } from '../daemon/daemonConnection.js';
import { reasonLabel, runStateLabel, safe } from './describeAgent.js';

function duration(ms: number | null): string {
	if (ms === null) return '-';
	const s = Math.floor(ms / 1000);
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	if (s < 86_400)
		return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

/** One row of `agents status`: the catalogue's view, plus the daemon's when it supervises the agent. */
type StatusRow = AgentRunStatus & {
	/** Restarts in the current supervision (null: not supervised by the daemon). */
	readonly restarts: number | null;
	/** Who supervises it: `daemon`, `foreground` (another terminal) or null. */
	readonly supervisor: 'daemon' | 'foreground' | null;
};

/**
 * `agents status` (`ps`): what runs, with its process figures and why each
 * agent's latest run ended (escaped, bounded; whole in `--json`). Read-only.
 */
export async function agentsStatus(ctx: CommandContext): Promise<ActionResult> {
	let rows: AgentRunStatus[] = [];
	if (existsSync(homePaths(ctx.home).dbFile)) {
		const db = openExistingHomeDb(ctx.home);
		try {
			rows = runStatus(db);
		} finally {
			db.$client.close();
		}
	}
	const daemon = rows.some(
		(row) => row.status === 'running' || row.status === 'crashed' || row.status === 'unhealthy',
	)
		? await daemonStatusOrUndefined(await daemonConnection(ctx.home))
		: undefined;
	const supervised = new Map<string, SupervisedAgent>(daemon?.agents.map((a) => [a.id, a]) ?? []);
	const agents: StatusRow[] = rows.map((row) => {
		const entry = supervised.get(row.id);
		return {
			...row,
			// Between a crash and its restart the catalogue says crashed; the daemon knows better.
			status: entry?.state === 'restarting' ? 'restarting' : row.status,
			restarts: entry?.restarts ?? null,
			supervisor:
				entry !== undefined
					? 'daemon'
					: row.status === 'running' && row.alive !== false
						? 'foreground'
						: null,
		};
	});
	ctx.output.data({ count: agents.length, agents });
	if (agents.length === 0) {
		ctx.output.line('No agents in the catalogue.');
		return;
	}
	const { style } = ctx.output;
	ctx.output.table(agents, [
		{ header: 'ID', value: (a) => safe(a.id) },
		{ header: 'NAME', value: (a) => safe(a.name) },
		{ header: 'STATUS', value: (a) => runStateLabel(a.status, a.alive, style) },
		{ header: 'PID', value: (a) => (a.pid === null ? '-' : String(a.pid)) },
		{ header: 'UPTIME', value: (a) => duration(a.uptimeMs) },
		{ header: 'RESTARTS', value: (a) => (a.restarts === null ? '-' : String(a.restarts)) },
		{ header: 'RUNS', value: (a) => String(a.runs) },
		{ header: 'CPU', value: (a) => (a.cpuMs === null ? '-' : `${(a.cpuMs / 1000).toFixed(1)}s`) },
		{
			header: 'MEM',
			value: (a) => (a.rssBytes === null ? '-' : `${(a.rssBytes / 1024 / 1024).toFixed(1)} MB`),
		},
		{
			header: 'SANDBOXED',
			value: (a) => (a.sandboxed === null ? '-' : a.sandboxed ? 'yes' : style.yellow('no')),
		},
		// Why the latest run ended (e.g. an MCP agent failed: handshake timed out, pings unanswered).
		{ header: 'REASON', value: (a) => reasonLabel(a.reason) },
	]);
}
