import {
	chmodSync,
	existsSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	renameSync,
	type Stats,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { END_SCAN_LIMITS, findGitDirs, type GitDirScanLimits } from './findGitDirs.js';
import type { GitGuardSnapshot } from './gitGuardSnapshot.js';
import { readGitConfig, unsafeGitConfigKeys, writeSafeGitConfig } from './safeGitConfig.js';

/** Where neutralised files go, inside their git directory (git never reads it). */
export const QUARANTINE_DIR = 'agentspace-quarantine';

/**
 * File change times come from the kernel's coarse clock, which may lag the
 * supervisor's by a tick (1-10 ms): anything changed this close before the
 * start counts as changed during the run.
 */
export const CHANGE_TIME_SLACK_MS = 100;

/** One file the agent planted, and what was done with it. */
export interface GitFinding {
	/** Where it was. */
	readonly path: string;
	readonly kind: 'hook' | 'hooks' | 'config' | 'config.worktree' | 'commondir';
	/** Where it is now (not executable). */
	readonly quarantinedTo: string;
	/** For a config: the keys that could run code (none when git could not parse it). */
	readonly unsafeKeys?: readonly string[];
	/** For `config`: a config with only its safe entries was put in its place. */
	readonly replaced?: boolean;
}

/** What {@link checkGitDirs} did. */
export interface GitCheck {
	readonly findings: readonly GitFinding[];
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

/**
 * The end-of-run check: finds every git directory below the run's writable
 * paths again and neutralises what the agent could have planted there, that
 * is whatever the sandbox did not make read-only (`snapshot.protected`) and
 * that was created or changed during the run (by its change time, which a
 * process cannot set back):
 * - a git directory that is new (not found at the start, when the start scan
 *   was complete; otherwise itself changed during the run) is taken as
 *   planted as a whole;
 * - hooks (anything in `hooks/` but `*.sample`, which git never runs, or a
 *   `hooks` that is not a directory) are moved to
 *   `<gitdir>/agentspace-quarantine/<run-id>/` and made non-executable;
 * - a `config` or `config.worktree` with any key outside a short safe list
 *   (safeGitConfig.ts) is moved there too; a `config` is replaced by one
 *   holding only its safe entries (remotes, branches, user), so the
 *   repository still works and runs nothing;
 * - a `commondir` planted in a repository that existed at the start is moved
 *   there too (what it pointed at is checked as a git directory of its own).
 * Run it once the agent's processes are gone (nothing then races it).
 */
export function checkGitDirs(
	snapshot: GitGuardSnapshot,
	limits: GitDirScanLimits = END_SCAN_LIMITS,
): GitCheck {
	const scan = findGitDirs(snapshot.roots, limits);
	const since = snapshot.since - CHANGE_TIME_SLACK_MS;
	const known = new Set(snapshot.known);
	const locked = new Set(snapshot.protected);
	const changed = (stats: Stats) => stats.ctimeMs >= since;
	const findings: GitFinding[] = [];
	const failures: string[] = [];

	const quarantine = (gitDir: string, path: string, stats: Stats): string => {
		const base = join(gitDir, QUARANTINE_DIR, snapshot.runId, relative(gitDir, path));
		let target = base;
		for (let n = 1; existsSync(target); n += 1) target = `${base}.${n}`;
		mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
		renameSync(path, target);
		// Only a regular file's mode is changed: chmod on a symlink would follow it.
		if (stats.isFile()) chmodSync(target, 0o600);
		return target;
	};

	for (const { gitDir } of scan.gitDirs) {
		try {
			checkOne(gitDir);
		} catch (error) {
			// One git directory that cannot be handled must not leave the others unchecked.
			failures.push(`could not check ${gitDir}: ${(error as Error).message}`);
		}
	}

	function checkOne(gitDir: string): void {
		const gitDirStats = lstatOrUndefined(gitDir);
		if (gitDirStats === undefined) return;
		const fresh = !known.has(gitDir) && (snapshot.complete || changed(gitDirStats));

		const hooks = join(gitDir, 'hooks');
		const hooksStats = locked.has(hooks) ? undefined : lstatOrUndefined(hooks);
		if (hooksStats !== undefined && !hooksStats.isDirectory()) {
			if (fresh || changed(hooksStats)) {
				findings.push({
					path: hooks,
					kind: 'hooks',
					quarantinedTo: quarantine(gitDir, hooks, hooksStats),
				});
			}
		} else if (hooksStats !== undefined) {
			// A hooks directory new or changed as a whole: every hook in it is the run's
			// (a hook renamed in keeps its old change time, its directory does not).
			const all = fresh || changed(hooksStats);
			for (const name of readdirSync(hooks)) {
				if (name.endsWith('.sample')) continue;
				const path = join(hooks, name);
				const stats = lstatOrUndefined(path);
				if (stats === undefined || !(all || changed(stats))) continue;
				findings.push({ path, kind: 'hook', quarantinedTo: quarantine(gitDir, path, stats) });
			}
		}

		// A repository's git directory never gains a commondir (only a linked
		// worktree's has one): one planted redirects where git reads config and
		// hooks (those are checked where it points) and breaks the repository.
		const commondir = join(gitDir, 'commondir');
		const commondirStats = locked.has(commondir) ? undefined : lstatOrUndefined(commondir);
		if (commondirStats !== undefined && known.has(gitDir) && existsSync(join(gitDir, 'objects'))) {
			if (changed(commondirStats)) {
				findings.push({
					path: commondir,
					kind: 'commondir',
					quarantinedTo: quarantine(gitDir, commondir, commondirStats),
				});
			}
		}

		for (const kind of ['config', 'config.worktree'] as const) {
			const path = join(gitDir, kind);
			if (locked.has(path)) continue;
			const stats = lstatOrUndefined(path);
			if (stats === undefined || !(fresh || changed(stats))) continue;
			const entries = stats.isFile() ? readGitConfig(path) : undefined;
			const unsafeKeys = entries === undefined ? [] : unsafeGitConfigKeys(entries);
			if (entries !== undefined && unsafeKeys.length === 0) continue;
			const quarantinedTo = quarantine(gitDir, path, stats);
			if (kind === 'config') writeSafeGitConfig(path, entries ?? []);
			findings.push({
				path,
				kind,
				quarantinedTo,
				unsafeKeys,
				...(kind === 'config' ? { replaced: true } : {}),
			});
		}
	}
	const incompleteBecause = [scan.incompleteBecause, ...failures].filter(Boolean).join('; ');
	return {
		findings,
		gitDirs: scan.gitDirs.length,
		complete: incompleteBecause === '',
		...(incompleteBecause === '' ? {} : { incompleteBecause }),
	};
}
