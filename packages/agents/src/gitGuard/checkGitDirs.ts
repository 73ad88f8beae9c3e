import {
	closeSync,
	constants,
	fchmodSync,
	fstatSync,
	lstatSync,
	opendirSync,
	openSync,
	readSync,
	realpathSync,
	renameSync,
	type Stats,
	writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
	END_SCAN_LIMITS,
	type FoundGitDir,
	findGitDirs,
	type GitDirScanLimits,
} from './findGitDirs.js';
import { type GitGuardSnapshot, type PathIdentity, pathIdentity } from './gitGuardSnapshot.js';
import {
	MAX_GIT_CONFIG_BYTES,
	parseGitConfig,
	safeGitConfigText,
	unsafeGitConfigKeys,
} from './safeGitConfig.js';

/**
 * What a neutralised file is renamed to, in its own directory, followed by
 * the run's id: `<name>.agentspace-disabled-<run>`. Git never reads or runs a
 * file of that name (hooks and config are looked up by their exact names).
 */
export const DISABLED_SUFFIX = '.agentspace-disabled-';

/**
 * File change times come from the kernel's coarse clock, which may lag the
 * supervisor's by a tick (1-10 ms): anything changed this close before the
 * start counts as changed during the run.
 */
export const CHANGE_TIME_SLACK_MS = 100;

/**
 * How long after the run's recorded end (`snapshot.until`) a change still
 * counts as the run's in a check again: the end is taken once the agent's
 * processes are gone, this covers the kernel's coarse clock and the time
 * between their end and the record.
 */
export const END_TIME_SLACK_MS = 2000;

/** At most this many findings are listed (the count is always exact). */
export const MAX_LISTED_FINDINGS = 100;

/** At most this many failures are named in the reason a check is incomplete. */
const MAX_LISTED_FAILURES = 10;

/** At most this many unsafe keys are listed per config (a planted config may hold 250,000). */
export const MAX_LISTED_KEYS = 20;

/**
 * At most this many configs of repositories new in the run are parsed (a git
 * process each); the configs of any more are disabled whole without parsing,
 * so thousands of tiny planted repositories cannot outlast the deadline.
 */
export const MAX_PARSED_NEW_CONFIGS = 200;

/** One file the agent planted, and what was done with it. */
export interface GitFinding {
	/** Where it was. */
	readonly path: string;
	readonly kind: 'hook' | 'hooks' | 'config' | 'config.worktree' | 'commondir' | 'gitfile';
	/** Where it is now: renamed beside itself to a name git never reads, not executable. */
	readonly quarantinedTo: string;
	/**
	 * For a config: the first {@link MAX_LISTED_KEYS} keys that could run code
	 * (none when git could not parse it, or it was not parsed).
	 */
	readonly unsafeKeys?: readonly string[];
	/** For a config: how many distinct unsafe keys it held in all. */
	readonly unsafeKeyCount?: number;
	/** For `config`: a config with only its safe entries was put in its place. */
	readonly replaced?: boolean;
}

/** What {@link checkGitDirs} did. */
export interface GitCheck {
	/** The first {@link MAX_LISTED_FINDINGS} findings. */
	readonly findings: readonly GitFinding[];
	/** How many files were neutralised in all. */
	readonly count: number;
	/** Git directories looked at. */
	readonly gitDirs: number;
	/** False when the scan stopped at a bound: git directories beyond it were not checked. */
	readonly complete: boolean;
	readonly incompleteBecause?: string;
}

const lstatOrUndefined = (path: string): Stats | undefined => {
	try {
		return lstatSync(path);
	} catch {
		return undefined;
	}
};

/** A directory as it was when the check began to work in it. */
interface DirIdentity {
	readonly dev: number;
	readonly ino: number;
}

/**
 * Throws unless `dir` (absolute, resolved) is still that very directory, at
 * that very place: no component of its path was swapped for a symlink (or for
 * another directory) since — by another run sharing the writable path, or a
 * process that outlived its sandbox. Called right before each change.
 */
function assertSameDir(dir: string, id: DirIdentity): void {
	const stats = lstatSync(dir);
	if (!stats.isDirectory() || stats.dev !== id.dev || stats.ino !== id.ino) {
		throw new Error(`${dir} was replaced during the check`);
	}
	if (realpathSync(dir) !== dir)
		throw new Error(`${dir} was moved behind a symlink during the check`);
}

const dirIdentity = (dir: string): DirIdentity | undefined => {
	const stats = lstatOrUndefined(dir);
	return stats?.isDirectory() ? { dev: stats.dev, ino: stats.ino } : undefined;
};

const NOFOLLOW_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Makes a regular file at `path` (never following a symlink, never blocking on a FIFO) mode 0600. */
function makePrivate(path: string): void {
	let fd: number | undefined;
	try {
		fd = openSync(path, NOFOLLOW_READ);
		if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
	} catch {
		// A symlink or a special file: not executable as a hook by its new name anyway.
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/** A regular file's bytes (no symlink followed, no FIFO opened), or undefined. */
function readRegularFile(path: string, maxBytes: number): Buffer | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(path, NOFOLLOW_READ);
		const stats = fstatSync(fd);
		if (!stats.isFile() || stats.size > maxBytes) return undefined;
		const buffer = Buffer.alloc(stats.size);
		let read = 0;
		while (read < buffer.length) {
			const n = readSync(fd, buffer, read, buffer.length - read, read);
			if (n === 0) break;
			read += n;
		}
		return buffer.subarray(0, read);
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

const samePath = (was: PathIdentity | null, now: PathIdentity | null) =>
	was === null || now === null
		? was === now
		: was.dev === now.dev &&
			was.ino === now.ino &&
			was.mode === now.mode &&
			was.ctimeMs === now.ctimeMs;

/**
 * The end-of-run check: finds every git directory below the run's writable
 * paths again and neutralises what the agent could have planted there, that
 * is whatever was created or changed during the run (by its change time,
 * which a process cannot set back) and is not a path the sandbox protected
 * that is still exactly what it was at the start (`snapshot.protectedIds`):
 * - a git directory that is new (not found at the start, when the start scan
 *   was complete; otherwise itself changed during the run) is taken as
 *   planted as a whole;
 * - hooks (anything in `hooks/` but `*.sample`, which git never runs, or a
 *   `hooks` that is not a directory) are renamed where they are to
 *   `<name>.agentspace-disabled-<run>` and made mode 0600;
 * - a `config` or `config.worktree` with any key outside a short safe list
 *   (safeGitConfig.ts), or that git cannot parse, is renamed so too; a
 *   `config` is replaced (exclusive create, in one write) by one holding only
 *   its safe entries (remotes, branches, user), so the repository still
 *   works and runs nothing;
 * - a `commondir` planted in a repository that existed at the start, and a
 *   `.git` or `commondir` changed during the run that points out of the
 *   writable paths (nothing there could be checked), are renamed so too.
 * Nothing is created or moved anywhere but beside the file itself, nothing
 * is opened through a symlink, and each change is preceded by a check that
 * its directory is still the one examined (see assertSameDir): whatever
 * symlinks the agent planted, the check changes nothing outside the git
 * directories it found. Run it in its own process (gitGuardCheckProcess.ts):
 * it may take long, and must never hold up the supervisor.
 */
export function checkGitDirs(
	snapshot: GitGuardSnapshot,
	limits: GitDirScanLimits = END_SCAN_LIMITS,
	onFinding?: (finding: GitFinding) => void,
	/** The git program that parses configs (an absolute path outside the roots; see trustedExecutable.ts). */
	git = 'git',
): GitCheck {
	const scan = findGitDirs(snapshot.roots, limits);
	const since = snapshot.since - CHANGE_TIME_SLACK_MS;
	const known = new Set(snapshot.known);
	const protectedIds = new Map<string, PathIdentity | null | undefined>(
		snapshot.protected.map((path, index) => [path, snapshot.protectedIds?.[index]]),
	);
	// Changed after the run's end (a check again, days later): the user's, left alone.
	const late = (stats: Stats) =>
		snapshot.until !== undefined && stats.ctimeMs > snapshot.until + END_TIME_SLACK_MS;
	const changed = (stats: Stats) => stats.ctimeMs >= since && !late(stats);
	const runTag = snapshot.runId.replace(/[^A-Za-z0-9_-]/g, '_');
	const findings: GitFinding[] = [];
	let count = 0;
	const failures: string[] = [];

	const found = (finding: GitFinding) => {
		count += 1;
		if (findings.length < MAX_LISTED_FINDINGS) findings.push(finding);
		onFinding?.(finding);
	};

	/** A path the sandbox made read-only, still exactly what it was at the start: skipped. */
	const untouched = (path: string): boolean => {
		const was = protectedIds.get(path);
		// Not protected, or an older snapshot without identities: checked.
		if (was === undefined) return false;
		return samePath(was, pathIdentity(path));
	};

	/** Renames `dir/name` beside itself to a name git never reads; returns the new path. */
	const disable = (dir: string, id: DirIdentity, name: string): string => {
		const base = `${name}${DISABLED_SUFFIX}${runTag}`;
		let target = base;
		for (let n = 1; lstatOrUndefined(join(dir, target)) !== undefined; n += 1) {
			if (n > 100) throw new Error(`no free name to disable ${join(dir, name)}`);
			target = `${base}.${n}`;
		}
		assertSameDir(dir, id);
		renameSync(join(dir, name), join(dir, target));
		makePrivate(join(dir, target));
		return join(dir, target);
	};

	/** Creates `dir/name` afresh (never through a symlink, never over anything) holding `text`. */
	const create = (dir: string, id: DirIdentity, name: string, text: string): void => {
		assertSameDir(dir, id);
		const fd = openSync(
			join(dir, name),
			constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
			0o644,
		);
		try {
			writeSync(fd, text);
		} finally {
			closeSync(fd);
		}
	};

	// Hooks (cheap: no process) of every git directory first, then configs
	// (a git process each): a check stopped at its deadline has disabled
	// every planted hook already.
	// Which git directories are the run's as a whole, decided before anything
	// is changed (disabling a commondir must not hide what it pointed at): new,
	// or reached through a `.git` file or symlink or a `commondir` made or
	// changed during the run, wherever it is (its files may have been staged
	// in an earlier run, when it was no repository yet, and kept their old
	// change times).
	const fresh = new Map<string, boolean>();
	for (const { gitDir, via } of scan.gitDirs) {
		const stats = lstatOrUndefined(gitDir);
		fresh.set(
			gitDir,
			(!known.has(gitDir) && (snapshot.complete || stats === undefined || changed(stats))) ||
				(via ?? []).some((link) => {
					const linkStats = lstatOrUndefined(link);
					return linkStats !== undefined && changed(linkStats);
				}),
		);
	}
	let parsedNew = 0;
	for (const pass of [checkHooks, checkConfigs]) {
		for (const found of scan.gitDirs) {
			try {
				pass(found);
			} catch (error) {
				// One git directory that cannot be handled must not leave the others unchecked.
				failures.push(
					`could not check ${JSON.stringify(found.gitDir)}: ${(error as Error).message}`,
				);
			}
		}
	}
	for (const link of scan.outside) {
		try {
			const stats = lstatOrUndefined(link.path);
			const dir = dirname(link.path);
			const id = dirIdentity(dir);
			// Gone already (a commondir handled above), or the user's own from before the run.
			if (stats === undefined || id === undefined || !changed(stats)) continue;
			found({
				path: link.path,
				kind: link.kind,
				quarantinedTo: disable(dir, id, basename(link.path)),
			});
		} catch (error) {
			failures.push(`could not disable ${JSON.stringify(link.path)}: ${(error as Error).message}`);
		}
	}

	function checkHooks({ gitDir }: FoundGitDir): void {
		const gitDirStats = lstatOrUndefined(gitDir);
		if (gitDirStats === undefined || !gitDirStats.isDirectory()) return;
		const gitId = { dev: gitDirStats.dev, ino: gitDirStats.ino };
		const isFresh = fresh.get(gitDir) ?? true;

		const hooks = join(gitDir, 'hooks');
		const hooksStats = untouched(hooks) ? undefined : lstatOrUndefined(hooks);
		if (hooksStats !== undefined && !hooksStats.isDirectory()) {
			if ((isFresh || changed(hooksStats)) && !late(hooksStats)) {
				found({ path: hooks, kind: 'hooks', quarantinedTo: disable(gitDir, gitId, 'hooks') });
			}
		} else if (hooksStats !== undefined) {
			// A hooks directory new or changed as a whole: every hook in it is the run's
			// (a hook renamed in keeps its old change time, its directory does not).
			const all = isFresh || changed(hooksStats);
			const hooksId = { dev: hooksStats.dev, ino: hooksStats.ino };
			// Entry by entry: a directory of millions of entries is never loaded whole.
			const handle = opendirSync(hooks, { bufferSize: 256 });
			try {
				for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
					const { name } = entry;
					if (name.endsWith('.sample') || name.includes(DISABLED_SUFFIX)) continue;
					const stats = lstatOrUndefined(join(hooks, name));
					if (stats === undefined || !(all || changed(stats)) || late(stats)) continue;
					found({
						path: join(hooks, name),
						kind: 'hook',
						quarantinedTo: disable(hooks, hooksId, name),
					});
				}
			} finally {
				handle.closeSync();
			}
		}

		// A repository's git directory never gains a commondir (only a linked
		// worktree's has one): one planted redirects where git reads config and
		// hooks (those are checked where it points) and breaks the repository.
		// When the start scan was incomplete, what a commondir made during the
		// run points at may be a repository the start never saw (and so held
		// nothing to compare with): every such commondir is disabled.
		const commondir = join(gitDir, 'commondir');
		const commondirStats = untouched(commondir) ? undefined : lstatOrUndefined(commondir);
		if (
			commondirStats !== undefined &&
			changed(commondirStats) &&
			(!snapshot.complete ||
				(known.has(gitDir) && lstatOrUndefined(join(gitDir, 'objects')) !== undefined))
		) {
			found({
				path: commondir,
				kind: 'commondir',
				quarantinedTo: disable(gitDir, gitId, 'commondir'),
			});
		}
	}

	function checkConfigs({ gitDir }: FoundGitDir): void {
		const gitDirStats = lstatOrUndefined(gitDir);
		if (gitDirStats === undefined || !gitDirStats.isDirectory()) return;
		const gitId = { dev: gitDirStats.dev, ino: gitDirStats.ino };
		const isFresh = fresh.get(gitDir) ?? true;
		const context = { gitDir, roots: snapshot.roots };
		for (const kind of ['config', 'config.worktree'] as const) {
			const path = join(gitDir, kind);
			if (untouched(path)) continue;
			const stats = lstatOrUndefined(path);
			if (stats === undefined || !(isFresh || changed(stats)) || late(stats)) continue;
			// Past the budget, a new repository's config is disabled whole, unread.
			const parse = !isFresh || known.has(gitDir) || parsedNew < MAX_PARSED_NEW_CONFIGS;
			if (parse && isFresh && !known.has(gitDir)) parsedNew += 1;
			const text =
				parse && stats.isFile() ? readRegularFile(path, MAX_GIT_CONFIG_BYTES) : undefined;
			const entries = text === undefined ? undefined : parseGitConfig(text, git);
			const unsafeKeys = entries === undefined ? [] : unsafeGitConfigKeys(entries, context);
			if (entries !== undefined && unsafeKeys.length === 0) continue;
			const quarantinedTo = disable(gitDir, gitId, kind);
			if (kind === 'config') {
				create(gitDir, gitId, 'config', safeGitConfigText(entries ?? [], context));
			}
			found({
				path,
				kind,
				quarantinedTo,
				unsafeKeys: unsafeKeys.slice(0, MAX_LISTED_KEYS),
				unsafeKeyCount: unsafeKeys.length,
				...(kind === 'config' ? { replaced: true } : {}),
			});
		}
	}
	// The first few failures, with their count: one per git directory could run to megabytes.
	const listedFailures =
		failures.length > MAX_LISTED_FAILURES
			? [
					...failures.slice(0, MAX_LISTED_FAILURES),
					`${failures.length - MAX_LISTED_FAILURES} more failures`,
				]
			: failures;
	const incompleteBecause = [scan.incompleteBecause, ...listedFailures].filter(Boolean).join('; ');
	return {
		findings,
		count,
		gitDirs: scan.gitDirs.length,
		complete: incompleteBecause === '',
		...(incompleteBecause === '' ? {} : { incompleteBecause }),
	};
}
