/**
 * Sends `signal` to the whole process group led by `pid` (a child spawned
 * with `detached: true`), so what it started goes too. A group that is
 * already gone is not an error.
 */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}
