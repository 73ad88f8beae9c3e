import { readFileSync } from 'node:fs';

/**
 * True when a process with this pid exists and has not exited (EPERM: it
 * exists, owned by someone else). A zombie — exited, waiting for its parent
 * to reap it — counts as gone: a daemon's parent is pid 1, and a pid 1 that
 * reaps late (or never, in a container without an init) must not make a
 * stopped process look alive.
 */
export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The state follows the command name, which may itself contain ')'.
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return true; // Not Linux: kill(0) is all there is.
	}
}
