import { readdirSync } from 'node:fs';
import { homePaths } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { finishGitGuard } from './gitGuardRun.js';

const SNAPSHOT_SUFFIX = '.git-guard.json';

/** Options of {@link recheckGitGuards}. */
export interface RecheckGitGuardsOptions {
	readonly home: string;
	readonly sourceApp?: string;
	/** Runs checked already by this caller (a lost run reconciled just now). */
	readonly skip?: ReadonlySet<string>;
}

/**
 * Checks again every ended run whose end-of-run git check was incomplete
 * (`security.git_unchecked`: stopped at its deadline or a bound, or failed):
 * finishGitGuard keeps such a run's snapshot, and a daemon start calls this
 * after reconciling lost runs. A run still recorded as running (a live
 * foreground supervisor's, whose snapshot is in use) or not recorded at all
 * (its start under way) is left alone. Only what changed by the run's end
 * (recorded in the snapshot by its first check) is taken as the run's: what
 * the user changed since is left alone. A check complete this time removes
 * the snapshot; an incomplete one is audited again and retried at the next
 * start, up to MAX_GIT_CHECK_ATTEMPTS checks in all (then given up, audited
 * once more as final). Returns the runs checked.
 */
export async function recheckGitGuards(
	db: AgentSpaceDb,
	options: RecheckGitGuardsOptions,
): Promise<string[]> {
	const { logsDir } = homePaths(options.home);
	let agents: string[];
	try {
		agents = readdirSync(logsDir);
	} catch {
		return [];
	}
	const status = db.$client.prepare(
		'SELECT status FROM agent_runs WHERE agent_id = ? AND run_id = ?',
	);
	const checked: string[] = [];
	for (const agentId of agents) {
		let names: string[];
		try {
			names = readdirSync(agentPaths(options.home, agentId).logs);
		} catch {
			continue;
		}
		for (const name of names) {
			if (!name.endsWith(SNAPSHOT_SUFFIX)) continue;
			const runId = name.slice(0, -SNAPSHOT_SUFFIX.length);
			const row = status.get(agentId, runId) as { status: string } | undefined;
			if (row === undefined || row.status === 'running' || options.skip?.has(runId)) continue;
			await finishGitGuard({
				db,
				home: options.home,
				agentId,
				runId,
				retry: true,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			});
			checked.push(runId);
		}
	}
	return checked;
}
