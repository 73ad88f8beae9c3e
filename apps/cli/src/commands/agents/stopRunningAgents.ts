import {
	type ChangeActor,
	type ForegroundRun,
	foregroundRuns,
	requireAgent,
	type StoppedAgent,
	stopForegroundRun,
} from '@agentspace/agents';
import { callDaemon } from '@agentspace/daemon';
import { openExistingHomeDb } from '../../homeDb.js';
import { daemonStatusOrUndefined, listeningDaemonConnection } from '../daemon/daemonConnection.js';

/**
 * Stops `id` (or, undefined, every agent) wherever it runs: a run the daemon
 * supervises through the daemon, which records the stop as `actor`'s; a run
 * another terminal supervises (`run --foreground`) by signalling that
 * supervisor, which records the end itself. Returns what was stopped — nothing
 * when nothing ran (stopping is idempotent).
 */
export async function stopRunningAgents(
	home: string,
	id: string | undefined,
	graceMs: number,
	actor: ChangeActor,
): Promise<StoppedAgent[]> {
	const db = openExistingHomeDb(home);
	let foreground: ForegroundRun[];
	try {
		if (id !== undefined) requireAgent(db, id);
		foreground = foregroundRuns(db, id);
	} finally {
		db.$client.close();
	}
	// No socket, no daemon: nothing to ask, and no auth token to create for it.
	const connection = await listeningDaemonConnection(home, graceMs + 15_000);
	const daemon = connection === undefined ? undefined : await daemonStatusOrUndefined(connection);
	const daemonIds = new Set(daemon?.agents.map((a) => a.id) ?? []);
	foreground = foreground.filter(
		(run) => !daemonIds.has(run.id) && run.supervisorPid !== daemon?.pid,
	);
	const stopped: StoppedAgent[] = [];
	if (connection !== undefined && daemon !== undefined && (id === undefined || daemonIds.has(id))) {
		if (id === undefined)
			stopped.push(...(await callDaemon(connection, 'stopAll', { graceMs, actor })));
		else stopped.push(await callDaemon(connection, 'stop', { id, graceMs, actor }));
	}
	for (const run of foreground) {
		const runDb = openExistingHomeDb(home);
		try {
			stopped.push(await stopForegroundRun(runDb, run, graceMs));
		} finally {
			runDb.$client.close();
		}
	}
	return stopped;
}
