import { type ChangeActor, type StoppedAgent, stopAgent } from '@agentspace/agents';
import { openExistingHomeDb } from '../../homeDb.js';
import { daemonRunSupervisor } from './daemonRunSupervisor.js';

/**
 * Stops `id` (or, undefined, every agent) wherever it runs (see `stopAgent`):
 * a run the daemon supervises through the daemon, which records the stop as
 * `actor`'s; a run another terminal supervises (`run --foreground`) by
 * signalling that supervisor, which records the end itself. Returns what was
 * stopped — nothing when nothing ran (stopping is idempotent).
 */
export async function stopRunningAgents(
	home: string,
	id: string | undefined,
	graceMs: number,
	actor: ChangeActor,
): Promise<StoppedAgent[]> {
	const db = openExistingHomeDb(home);
	try {
		return await stopAgent({
			db,
			// A daemon's stop waits out the grace period; 15 s more for the rest.
			supervisor: daemonRunSupervisor(home, graceMs + 15_000),
			graceMs,
			actor,
			...(id === undefined ? { all: true } : { id }),
		});
	} finally {
		db.$client.close();
	}
}
