import { readFileSync } from 'node:fs';
import { isProcessAlive } from './isProcessAlive.js';

/**
 * True when `pid` is a live AgentSpace supervisor other than this process (a
 * daemon or a foreground `agents run`), as recorded on a run. Pids are reused,
 * after a reboot above all: a live pid must still be running AgentSpace before
 * anyone trusts it with a run, or signals it.
 */
export function isSupervisorAlive(pid: number | null): boolean {
	if (pid === null || pid === process.pid || !isProcessAlive(pid)) return false;
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('agentspace');
	} catch {
		return true; // Not Linux, or not ours to read: trust the pid.
	}
}
