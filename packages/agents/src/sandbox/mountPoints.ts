import {
	lstatSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	realpathSync,
	rmdirSync,
	unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

// How many running sandboxes of this process use each mount point. Removing
// one on the host while another sandbox still has a bind on it would detach
// that bind, and its deny would stop applying there: only the last run to end
// removes it (the library keeps the same rule per process).
const users = new Map<string, number>();

/** A mountinfo field with its octal escapes (`\040` for a space…) decoded. */
const unescapeMountPath = (field: string) =>
	field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
		String.fromCharCode(Number.parseInt(octal, 8)),
	);

/**
 * The mount points of every other mount namespace on this machine (Linux):
 * the sandboxes other supervisors run (a foreground `agents run` beside the
 * daemon) bind the same host paths at the same places. A path one of them
 * has a mount on must stay: removing it would detach that mount there.
 */
function mountedElsewhere(): Set<string> {
	const mounted = new Set<string>();
	let own: string;
	try {
		own = readlinkSync('/proc/self/ns/mnt');
	} catch {
		return mounted;
	}
	const seen = new Set([own]);
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const namespace = readlinkSync(`/proc/${name}/ns/mnt`);
			if (seen.has(namespace)) continue;
			seen.add(namespace);
			for (const line of readFileSync(`/proc/${name}/mountinfo`, 'utf8').split('\n')) {
				const point = line.split(' ')[4];
				if (point !== undefined) mounted.add(unescapeMountPath(point));
			}
		} catch {
			// Gone, or not ours to look at.
		}
	}
	return mounted;
}

/**
 * Where `path` really is, symlinks resolved: its nearest existing ancestor's
 * real path with the rest (not made yet) appended.
 */
function realPathOf(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		const parent = dirname(path);
		return parent === path ? path : join(realPathOf(parent), basename(path));
	}
}

/**
 * Removes `path` if it is still what bwrap made — an empty file or an empty
 * directory, itself no symlink — and still where it was made: its parent's
 * real path is the one it had when the run started (`parentReal`). An agent
 * that can write the parent's parent (its data directory) could otherwise
 * swap a directory on the way for a symlink while another run ends, and have
 * an empty file or directory anywhere the user can write removed.
 */
function removeIfEmpty(path: string, parentReal: string): void {
	try {
		if (realpathSync(dirname(path)) !== parentReal) return;
		const stat = lstatSync(path);
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
 * ended: each one no other running sandbox uses — of this process, or any
 * other mount namespace on the machine — is removed if it is still empty
 * and still where it was (no symlink on the way that was not there when the
 * run started). Whatever has content is left alone.
 */
export function holdMountPoints(
	mountPoints: readonly string[],
	scratch: readonly string[],
): () => void {
	for (const path of mountPoints) users.set(path, (users.get(path) ?? 0) + 1);
	// Where each one's parent is now, before the agent runs.
	const parents = new Map(
		[...mountPoints, ...scratch].map((path) => [path, realPathOf(dirname(path))]),
	);
	const remove = (path: string) => removeIfEmpty(path, parents.get(path) as string);
	let released = false;
	return () => {
		if (released) return;
		released = true;
		// Deepest first, so a directory bwrap made around a file it made goes too.
		const ordered = [...mountPoints].sort((a, b) => b.length - a.length);
		const unused: string[] = [];
		for (const path of ordered) {
			const left = (users.get(path) ?? 1) - 1;
			if (left > 0) users.set(path, left);
			else {
				users.delete(path);
				unused.push(path);
			}
		}
		const elsewhere = unused.length === 0 ? new Set<string>() : mountedElsewhere();
		for (const path of unused) if (!elsewhere.has(path)) remove(path);
		for (const dir of scratch) remove(dir);
	};
}
