import {
	closeSync,
	constants,
	type Dirent,
	fstatSync,
	lstatSync,
	opendirSync,
	openSync,
	readSync,
	realpathSync,
	statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isAtOrBelow } from '../sandbox/pathWithin.js';

/** How a git directory was found. */
export type GitDirKind =
	/** `<dir>/.git`, a directory (or a symlink to one). */
	| 'dotgit'
	/** The target of a `.git` file (`gitdir: <path>`): a linked worktree's or a submodule's. */
	| 'gitfile'
	/** A directory that is itself a git directory (`HEAD`, `objects`, `refs`): a bare repository. */
	| 'bare'
	/** A submodule's git directory, under another one's `modules/`. */
	| 'module'
	/** A linked worktree's git directory, `<gitdir>/worktrees/<name>`. */
	| 'worktree'
	/** The target of a git directory's `commondir` file. */
	| 'commondir';

/** One git directory found below a writable path. */
export interface FoundGitDir {
	/** The git directory, resolved (no symlinks): where git reads `config` and runs `hooks/` from. */
	readonly gitDir: string;
	readonly kind: GitDirKind;
	/**
	 * The `.git` files or symlinks and `commondir` files that led the scan
	 * here (unresolved paths), when it was reached through one: the
	 * end-of-run check takes a git directory that a link made during the run
	 * points at as the run's, wherever it is (it may have been staged before).
	 */
	readonly via?: readonly string[];
}

/** The bounds of one scan: whichever is reached first stops it. */
export interface GitDirScanLimits {
	/** Directory entries read, over all roots. */
	readonly maxEntries?: number;
	/** Git directories found. */
	readonly maxGitDirs?: number;
	/** Milliseconds spent. */
	readonly maxMs?: number;
	/** The clock (tests pass their own). */
	readonly now?: () => number;
}

/**
 * A `.git` (file or symlink) or a `commondir` inside the roots that points
 * git at a directory outside them: the scan cannot check what it points at,
 * so one the run created or changed is the end-of-run check's to disable.
 */
export interface OutsideLink {
	/** The `.git` file or symlink, or the `commondir` file (not resolved). */
	readonly path: string;
	readonly kind: 'gitfile' | 'commondir';
	/** Where it points (resolved when it could be). */
	readonly target: string;
}

/** What {@link findGitDirs} found. */
export interface GitDirScan {
	readonly roots: readonly string[];
	readonly gitDirs: readonly FoundGitDir[];
	/** Links from inside the roots to git directories outside them. */
	readonly outside: readonly OutsideLink[];
	/** False when a bound stopped the scan or a directory could not be read: there may be more. */
	readonly complete: boolean;
	/** Why the scan is incomplete. */
	readonly incompleteBecause?: string;
	/** Directory entries read. */
	readonly entries: number;
}

/** The bounds of the scan when a run starts: it must not hold up the start. */
export const START_SCAN_LIMITS: Required<Omit<GitDirScanLimits, 'now'>> = {
	maxEntries: 200_000,
	maxGitDirs: 2_000,
	maxMs: 3_000,
};

/** The bounds of the scan when a run ends: wider, the run's end waits for it. */
export const END_SCAN_LIMITS: Required<Omit<GitDirScanLimits, 'now'>> = {
	maxEntries: 2_000_000,
	maxGitDirs: 20_000,
	maxMs: 30_000,
};

// What git itself checks to call a directory a git directory (is_git_directory):
// a HEAD, and objects and refs either here or in the directory its `commondir`
// names (a `HEAD` beside a `commondir` is a repository to git even with no
// objects of its own). Checking names only finds a superset, the safe side.
const looksLikeGitDir = (names: ReadonlySet<string>) =>
	names.has('HEAD') && ((names.has('objects') && names.has('refs')) || names.has('commondir'));

const isSymlink = (path: string): boolean => {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
};

/** The `gitdir:` of a `.git` file, or undefined. */
export function gitFileTarget(path: string): string | undefined {
	const text = smallFileText(path);
	return text === undefined ? undefined : /^gitdir: *(.+?)\s*$/m.exec(text)?.[1];
}

/**
 * The first 4 KB of a regular file (following symlinks), or undefined. Never
 * reads anything else: the file is opened without blocking (a FIFO planted as
 * `commondir`, or swapped in after a check, would block a plain open) and its
 * type checked on the open descriptor.
 */
export function smallFileText(path: string): string | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
		if (!fstatSync(fd).isFile()) return undefined;
		const buffer = Buffer.alloc(4096);
		return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/**
 * Every git directory at any depth below `roots` (absolute, normalised,
 * resolved): each `.git` directory, the target of each `.git` file
 * (`gitdir:`) or symlink, each bare repository, and inside each git directory
 * its submodules' (`modules/…`), its linked worktrees' (`worktrees/*`) and
 * its `commondir` target. Only git directories inside the roots are listed:
 * nothing else is writable in the sandbox. Breadth first, so a bound stops
 * the deepest part first. Symlinked directories are not followed (a symlink
 * out of the tree leads to nothing writable; one inside it reaches a
 * directory the walk visits anyway); `.git` directories are not walked beyond
 * what git reads from them.
 */
export function findGitDirs(roots: readonly string[], limits: GitDirScanLimits = {}): GitDirScan {
	const maxEntries = limits.maxEntries ?? START_SCAN_LIMITS.maxEntries;
	const maxGitDirs = limits.maxGitDirs ?? START_SCAN_LIMITS.maxGitDirs;
	const now = limits.now ?? Date.now;
	const deadline = now() + (limits.maxMs ?? START_SCAN_LIMITS.maxMs);
	const found = new Map<string, FoundGitDir>();
	const via = new Map<string, string[]>();
	const outside: OutsideLink[] = [];
	let entries = 0;
	let incompleteBecause: string | undefined;
	let halted = false;
	const within = (path: string) => roots.some((root) => isAtOrBelow(path, root));
	const outsideLink = (path: string, target: string): OutsideLink => ({
		path,
		kind: basename(path) === 'commondir' ? 'commondir' : 'gitfile',
		target,
	});

	const stopped = (): boolean => {
		if (halted) return true;
		let reason: string | undefined;
		if (entries >= maxEntries) reason = `stopped after ${entries} directory entries`;
		else if (found.size >= maxGitDirs) reason = `stopped after ${found.size} git directories`;
		else if (now() > deadline) reason = `stopped after ${entries} directory entries: out of time`;
		if (reason === undefined) return false;
		incompleteBecause = reason;
		halted = true;
		return true;
	};

	// Read entry by entry, stopping at the bound: a directory of millions of
	// entries is never loaded whole.
	const list = (dir: string): Dirent[] | undefined => {
		try {
			const handle = opendirSync(dir, { bufferSize: 256 });
			const dirents: Dirent[] = [];
			try {
				for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
					dirents.push(entry);
					entries += 1;
					if (entries >= maxEntries) {
						// Cut short: what is left of this folder is unread.
						stopped();
						break;
					}
				}
			} finally {
				handle.closeSync();
			}
			return dirents;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// Missing (a write path that does not exist yet) or not a directory: nothing there.
			if (code !== 'ENOENT' && code !== 'ENOTDIR') {
				incompleteBecause ??= `could not read ${dir}: ${code ?? String(error)}`;
			}
			return undefined;
		}
	};

	// What git reads from inside a git directory: other git directories.
	const inside = (gitDir: string) => {
		const commondir = smallFileText(join(gitDir, 'commondir'))?.trim();
		if (commondir) add(resolve(gitDir, commondir), 'commondir', 0, join(gitDir, 'commondir'));
		for (const entry of list(join(gitDir, 'worktrees')) ?? []) {
			if (entry.isDirectory()) add(join(gitDir, 'worktrees', entry.name), 'worktree');
		}
		// A submodule named a/b lives in modules/a/b: walk down to the git directories.
		const pending = [join(gitDir, 'modules')];
		while (pending.length > 0 && !stopped()) {
			const dir = pending.pop() as string;
			const dirents = list(dir);
			if (dirents === undefined) continue;
			if (looksLikeGitDir(new Set(dirents.map((entry) => entry.name)))) {
				add(dir, 'module');
				continue;
			}
			for (const entry of dirents) if (entry.isDirectory()) pending.push(join(dir, entry.name));
		}
	};

	/** `link`: the `.git` or `commondir` that led here, reported when it leads out of the roots. */
	const add = (path: string, kind: GitDirKind, depth = 0, link?: string): void => {
		let real: string;
		try {
			real = realpathSync(path);
		} catch {
			// Pointing nowhere (yet): git finds nothing there either, unless
			// something is created there later — outside the roots, the agent's.
			if (link !== undefined && !within(path)) outside.push(outsideLink(link, path));
			return;
		}
		if (!within(real)) {
			if (link !== undefined) outside.push(outsideLink(link, real));
			return;
		}
		// A link (a `.git` file or symlink, a `commondir`; not a `.git` directory) that leads here.
		const noteVia = () => {
			if (link === undefined || (link === path && !isSymlink(link))) return;
			via.set(real, [...(via.get(real) ?? []), link]);
		};
		if (found.has(real)) {
			noteVia();
			return;
		}
		let isFile = false;
		try {
			isFile = statSync(real).isFile();
		} catch {
			return;
		}
		if (isFile) {
			// A `.git` symlink to a `.git` file: follow it once more.
			const target = depth === 0 ? gitFileTarget(real) : undefined;
			if (target !== undefined) add(resolve(dirname(real), target), 'gitfile', depth + 1, link);
			return;
		}
		found.set(real, { gitDir: real, kind });
		noteVia();
		inside(real);
	};

	const queue = [...roots];
	for (let next = 0; next < queue.length && !stopped(); next += 1) {
		const dir = queue[next] as string;
		const dirents = list(dir);
		if (dirents === undefined) continue;
		// A bare repository is still walked: a directory that merely looks like
		// one must not hide what lies below it.
		if (looksLikeGitDir(new Set(dirents.map((entry) => entry.name)))) add(dir, 'bare');
		for (const entry of dirents) {
			const path = join(dir, entry.name);
			if (entry.name === '.git') {
				if (entry.isFile()) {
					const target = gitFileTarget(path);
					if (target !== undefined) add(resolve(dir, target), 'gitfile', 0, path);
				} else if (entry.isDirectory() || entry.isSymbolicLink()) {
					add(path, 'dotgit', 0, path);
				}
			} else if (entry.isDirectory()) {
				queue.push(path);
			}
		}
	}
	return {
		roots,
		gitDirs: [...found.values()].map((dir) => {
			const links = via.get(dir.gitDir);
			return links === undefined ? dir : { ...dir, via: links };
		}),
		outside,
		complete: incompleteBecause === undefined,
		...(incompleteBecause === undefined ? {} : { incompleteBecause }),
		entries,
	};
}
