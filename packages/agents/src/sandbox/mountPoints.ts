import { readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';

// How many running sandboxes of this process use each mount point. Removing
// one on the host while another sandbox still has a bind on it would detach
// that bind, and its deny would stop applying there: only the last run to end
// removes it (the library keeps the same rule per process).
const users = new Map<string, number>();

/** Removes `path` if it is still what bwrap made: an empty file or an empty directory. */
function removeIfEmpty(path: string): void {
	try {
		const stat = statSync(path);
		if (stat.isFile() && stat.size === 0) unlinkSync(path);
		else if (stat.isDirectory() && readdirSync(path).length === 0) rmdirSync(path);
	} catch {
		// Gone already, or not ours to judge.
	}
}

/**
 * Registers the mount points one run's bwrap creates on the host (empty
 * files and directories over paths that did not exist) and its scratch
 * directories; returns the function that releases them once the run has
 * ended: each one no other running sandbox of this process uses is removed
 * if it is still empty. Whatever has content is left alone.
 */
export function holdMountPoints(
	mountPoints: readonly string[],
	scratch: readonly string[],
): () => void {
	for (const path of mountPoints) users.set(path, (users.get(path) ?? 0) + 1);
	let released = false;
	return () => {
		if (released) return;
		released = true;
		// Deepest first, so a directory bwrap made around a file it made goes too.
		const ordered = [...mountPoints].sort((a, b) => b.length - a.length);
		for (const path of ordered) {
			const left = (users.get(path) ?? 1) - 1;
			if (left > 0) {
				users.set(path, left);
				continue;
			}
			users.delete(path);
			removeIfEmpty(path);
		}
		for (const dir of scratch) removeIfEmpty(dir);
	};
}
